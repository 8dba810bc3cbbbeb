namespace Voucher.Domain;

/// <summary>A prefecture-level city of Shanxi. <paramref name="Code"/> is the lowercase English name, e.g. "taiyuan".</summary>
public sealed record City(string Code, string NameZh, string NameEn, string DivisionPrefix);
