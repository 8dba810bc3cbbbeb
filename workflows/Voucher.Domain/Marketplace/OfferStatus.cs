using System.Text.Json.Serialization;

namespace Voucher.Domain;

/// <summary>Where an institution's offer on a demand stands; stored and shown lowercase.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OfferStatus>))]
public enum OfferStatus
{
    /// <summary>Standing (revisable while the demand is open).</summary>
    [JsonStringEnumMemberName("open")]
    Open,

    /// <summary>The enterprise accepted it: the service order's terms.</summary>
    [JsonStringEnumMemberName("accepted")]
    Accepted,

    /// <summary>The institution took it back; it may offer again while the demand is open.</summary>
    [JsonStringEnumMemberName("withdrawn")]
    Withdrawn,
}

/// <summary>The offer state machine: Open → Accepted (final) | Withdrawn; Withdrawn → Open (offered again).</summary>
public static class OfferTransitions
{
    static readonly Dictionary<OfferStatus, OfferStatus[]> Allowed = new()
    {
        [OfferStatus.Open] = [OfferStatus.Accepted, OfferStatus.Withdrawn],
        [OfferStatus.Withdrawn] = [OfferStatus.Open],
    };

    public static bool IsAllowed(OfferStatus from, OfferStatus to) =>
        Allowed.TryGetValue(from, out var targets) && Array.IndexOf(targets, to) >= 0;

    /// <summary>Throws <see cref="DomainException"/> naming both states when the move is not allowed.</summary>
    public static void Ensure(OfferStatus from, OfferStatus to)
    {
        if (!IsAllowed(from, to))
        {
            throw new DomainException($"报价状态不能从 {from} 变更为 {to} (Offer cannot move from {from} to {to})");
        }
    }
}
