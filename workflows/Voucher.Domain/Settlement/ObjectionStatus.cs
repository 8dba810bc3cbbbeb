using System.Text.Json.Serialization;

namespace Voucher.Domain;

/// <summary>An objection filed during publicity (公示异议); by name in storage.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ObjectionStatus>))]
public enum ObjectionStatus
{
    /// <summary>Filed; it holds the redemption until the city bureau resolves it.</summary>
    Open,

    /// <summary>The bureau found it well-founded: the redemption is rejected.</summary>
    Upheld,

    /// <summary>The bureau found it unfounded: the redemption goes on.</summary>
    Dismissed,
}
