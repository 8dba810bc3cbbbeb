namespace Voucher.Workflows.Links;

/// <summary>Marks a link's action as done (single use). Written with a conditional insert: the first writer wins.</summary>
public sealed class UsedLinkEntity : TableRow
{
    public string InstanceId { get; set; } = "";

    public string UsedBy { get; set; } = "";

    public DateTimeOffset UsedAt { get; set; }
}
