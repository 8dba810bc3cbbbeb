namespace Voucher.Domain;

/// <summary>How an institution confirms ("binds") a redemption: in the system, or by its official seal on the documents (§4.3).</summary>
public enum BindingMode
{
    System,
    Seal,
}

/// <summary>How often a city pays out redemptions.</summary>
public enum SettlementCadence
{
    Annual,
    Semiannual,
    Quarterly,
    Monthly,
}
