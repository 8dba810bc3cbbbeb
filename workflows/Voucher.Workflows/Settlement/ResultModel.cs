namespace Voucher.Workflows.Settlement;

/// <summary>A settlement act's result page: what was done, what happens next, where to go.</summary>
public sealed record ResultModel(string Done, string? Next, IReadOnlyList<(string Href, string Text)> Links);
