using System.Text.Json.Serialization;

namespace Voucher.Domain;

/// <summary>Where an SME's posted demand stands; stored and shown lowercase.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DemandStatus>))]
public enum DemandStatus
{
    /// <summary>Institutions in its category see it and make offers (until its deadline).</summary>
    [JsonStringEnumMemberName("open")]
    Open,

    /// <summary>The enterprise accepted one offer; a service order records it.</summary>
    [JsonStringEnumMemberName("accepted")]
    Accepted,

    /// <summary>The enterprise closed it without accepting an offer.</summary>
    [JsonStringEnumMemberName("closed")]
    Closed,
}

/// <summary>The demand state machine: Open → Accepted | Closed; both final.</summary>
public static class DemandTransitions
{
    public static bool IsAllowed(DemandStatus from, DemandStatus to) =>
        from == DemandStatus.Open && to is DemandStatus.Accepted or DemandStatus.Closed;

    /// <summary>Throws <see cref="DomainException"/> naming both states when the move is not allowed.</summary>
    public static void Ensure(DemandStatus from, DemandStatus to)
    {
        if (!IsAllowed(from, to))
        {
            throw new DomainException($"需求状态不能从 {from} 变更为 {to} (Demand cannot move from {from} to {to})");
        }
    }
}
