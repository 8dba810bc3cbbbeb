using System.Text.Json.Serialization;

namespace Voucher.Domain;

/// <summary>Where a voucher stands on a day (computed from its expiry, use and revocation; by name in JSON).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VoucherStatus>))]
public enum VoucherStatus
{
    Active,
    Expired,
    UsedUp,
    Revoked,
}
