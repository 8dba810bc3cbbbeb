namespace Voucher.Domain;

/// <summary>A validation error on one field. <paramref name="Field"/> is camelCase (e.g. "excessRatio"); <paramref name="Message"/> is bilingual.</summary>
public sealed record FieldError(string Field, string Message);
