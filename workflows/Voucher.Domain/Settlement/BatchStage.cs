using System.Text.Json.Serialization;

namespace Voucher.Domain;

/// <summary>Where a city-period settlement batch stands; by name in storage and in the API (<c>"stage": "Publicity"</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BatchStage>))]
public enum BatchStage
{
    /// <summary>The queued redemptions are being taken into the batch and frozen.</summary>
    Forming,

    /// <summary>The city bureau decides row by row (partial saves, expert opinions) and submits once.</summary>
    Reviewing,

    /// <summary>Submitted: the decisions are being applied to the redemptions.</summary>
    Deciding,

    /// <summary>The approved redemptions are on the public list (公示) for the objection window.</summary>
    Publicity,

    /// <summary>The window ended (or the batch was empty): the unobjected redemptions are payable.</summary>
    Closed,
}
