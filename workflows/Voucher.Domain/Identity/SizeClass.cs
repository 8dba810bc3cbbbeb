namespace Voucher.Domain;

/// <summary>Enterprise size class of a tech SME (科技型中小微企业).</summary>
public enum SizeClass
{
    Micro,
    Small,
    Medium,
}
