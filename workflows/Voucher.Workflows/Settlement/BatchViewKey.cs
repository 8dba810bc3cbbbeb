using System.Text.Json;
using Microsoft.DurableTask.Client;

namespace Voucher.Workflows.Settlement;

/// <summary>
/// When a batch's row can vouch for its whole status view (<c>GET /api/settlements/{batchId}</c>), so that a poll naming
/// the row's tag is answered 304 after reading the row alone. The view also shows the orchestration's runtime status and
/// progress (its custom status), which the orchestration writes after the row's stage. So the row vouches only where
/// the orchestration waits and its status cannot change before the row does:
/// <list type="bullet">
/// <item>Reviewing — it waits for the submission, which moves the row to Deciding before the orchestration hears of it;</item>
/// <item>Publicity, until the window's end — a new end (a holiday arrangement) is written on the row first; at the end the
/// close starts and its progress changes while the row still says Publicity, so from then on the row does not vouch;</item>
/// <item>Closed — the orchestration has completed.</item>
/// </list>
/// And only once the orchestration has caught up with the row: its progress names the row's stage (and the row's
/// publicity end), and it is running, or completed for a closed batch. In the stages between (forming, freezing, the
/// risk check, deciding, closing) each answer carries a hash of its body.
/// </summary>
public static class BatchViewKey
{
    /// <summary>The tag of the batch's view from its row alone, or null where the row cannot vouch for it at <paramref name="now"/>.</summary>
    public static string? Tag(BatchEntity batch, DateTimeOffset now) =>
        Waits(batch, now) ? Http.ConditionalGet.RowTag("settlement", batch.ETag, batch.Stage.ToString()) : null;

    /// <summary>Whether the row vouches for the view read with it: it waits (<see cref="Tag"/>) and the orchestration shows the same stage.</summary>
    public static bool Vouches(BatchEntity batch, OrchestrationRuntimeStatus? runtime, JsonElement? progress, DateTimeOffset now)
    {
        if (!Waits(batch, now) || progress is not { ValueKind: JsonValueKind.Object } status
            || !status.TryGetProperty("stage", out var stage) || stage.GetString() != batch.Stage.ToString().ToLowerInvariant())
        {
            return false;
        }

        return batch.Stage switch
        {
            BatchStage.Closed => runtime == OrchestrationRuntimeStatus.Completed,
            BatchStage.Publicity => runtime == OrchestrationRuntimeStatus.Running
                && status.TryGetProperty("publicityEnd", out var end) && end.ValueKind == JsonValueKind.String && end.GetString() == batch.PublicityEnd,
            _ => runtime == OrchestrationRuntimeStatus.Running,
        };
    }

    static bool Waits(BatchEntity batch, DateTimeOffset now) => batch.Stage switch
    {
        BatchStage.Reviewing or BatchStage.Closed => true,
        BatchStage.Publicity => PublicityWindows.IsOpen(batch, now),
        _ => false,
    };
}
