namespace Voucher.Domain;

/// <summary>Thrown when a domain operation is illegal (a rule of the voucher domain would be broken).</summary>
/// <remarks>Messages are bilingual: Chinese first, English in parentheses.</remarks>
public sealed class DomainException(string message) : Exception(message);
