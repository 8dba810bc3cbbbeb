namespace Voucher.Domain;

public enum VoucherStatus
{
    Active,
    Expired,
    UsedUp,
    Revoked,
}
