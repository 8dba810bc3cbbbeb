using Microsoft.DurableTask.Client;
using Voucher.Workflows.Enterprises;
using Voucher.Workflows.Redemptions;

namespace Voucher.Workflows.Settlement;

/// <summary>Which rows of the finance bureau's payments list: 待拨付 (<see cref="PaymentLedgerTab.Payable"/>) or 已拨付, narrowed by batch, institution and a keyword.</summary>
public sealed record PaymentFilter(PaymentLedgerTab Tab, string? BatchId = null, string? InstitutionName = null, string? Keyword = null);

public enum PaymentLedgerTab
{
    Payable,
    Paid,
}

/// <summary>
/// One row of the payments list: a payable redemption (<see cref="AmountFen"/> = what is paid now: the pay-out less an
/// advance already paid) or a paid one (the final payment, its day and bank reference); the payee's account in force
/// (null: none entered) for payables.
/// </summary>
public sealed record PaymentRow(
    string RedemptionId, string Uscc, string EnterpriseName, string InstitutionName, string ServiceTitle, string? BatchId,
    long PayoutFen, long AdvancePaidFen, long AmountFen, DateTimeOffset? PayableAt, string? PaidOn, string? Reference, BankAccountEntity? Account);

/// <summary>The count and money of one batch in the list (and how many of its payables have no bank account yet).</summary>
public sealed record PaymentBatchTotal(string BatchId, int Count, long AmountFen, int WithoutAccount);

/// <summary>
/// The finance bureau's payments list: the filtered rows (every page), the totals per batch of those rows, the counts
/// of both tabs, and the batches and institutions to filter by.
/// </summary>
public sealed record PaymentLedger(
    IReadOnlyList<PaymentRow> Rows, IReadOnlyList<PaymentBatchTotal> Batches, int PayableCount, int PaidCount, IReadOnlyList<string> BatchIds, IReadOnlyList<string> Institutions)
{
    public long AmountFen => Rows.Sum(r => r.AmountFen);

    /// <summary>The rows that can be paid in bulk: payables whose enterprise has entered a bank account.</summary>
    public IReadOnlyList<PaymentRow> Payable => [.. Rows.Where(r => r.Account is not null)];
}

/// <summary>A bulk payment confirmation: one bank reference and day for every redemption named (or every payable of a batch).</summary>
public sealed record ConfirmPayments(IReadOnlyList<string>? RedemptionIds, string? BatchId, string? Reference, string? PaidOn);

/// <summary>
/// What a bulk confirmation did: the redemptions paid now and their money, those already paid before (nothing paid
/// again), those left out for want of a bank account, and those refused (not payable, not this city's).
/// </summary>
public sealed record BulkPaymentResult(
    IReadOnlyList<string> Paid, long PaidFen, IReadOnlyList<string> AlreadyPaid, IReadOnlyList<string> WithoutAccount, IReadOnlyList<BulkPaymentRefusal> Refused);

public sealed record BulkPaymentRefusal(string RedemptionId, string Reason);

/// <summary>
/// Payables at scale: the list with its filters and totals, the payees' accounts (read whole: only the finance bureau of
/// the city gets here), and confirming many payments at once, each through <see cref="ConfirmPaymentAsync(RedemptionEntity, string, DateOnly, string, DurableTaskClient, CancellationToken)"/>,
/// so each redemption is paid once however often, or however concurrently, a confirmation is asked.
/// </summary>
public sealed partial class PaymentService
{
    public const int MaxBulk = 10_000;

    const int Parallel = 8;

    /// <summary>The caller's (finance bureau's) payments list for <paramref name="filter"/>.</summary>
    public async Task<Outcome<PaymentLedger>> LedgerAsync(VoucherPrincipal caller, PaymentFilter filter, CancellationToken ct)
    {
        if (caller.Role != Role.FinanceBureau)
        {
            return NotFinanceBureau;
        }

        // One partition of the payables index per tab (the older records written into it once per city).
        var city = caller.Scope ?? "";
        await PayablesIndex.BackfillAsync(store, redemptions, city, ct);
        var status = filter.Tab == PaymentLedgerTab.Payable ? RedemptionStatus.Payable : RedemptionStatus.Paid;
        var other = filter.Tab == PaymentLedgerTab.Payable ? RedemptionStatus.Paid : RedemptionStatus.Payable;
        var otherCount = PayablesIndex.CountAsync(store, city, other, ct);
        var rows = await PayablesIndex.ReadAsync(store, city, status, null, ct);
        var accounts = filter.Tab == PaymentLedgerTab.Payable
            ? await enterprises.BankAccountsForFinanceAsync(caller, rows.Select(r => r.Uscc), ct)
            : [];
        var all = rows
            .Select(r => new PaymentRow(
                r.RedemptionId, r.Uscc, r.EnterpriseName, r.InstitutionName, r.ServiceTitle, r.BatchId, r.PayoutFen, r.AdvancePaidFen,
                filter.Tab == PaymentLedgerTab.Payable ? r.PayoutFen - r.AdvancePaidFen : r.FinalPaidFen,
                r.PayableAt, r.PaidOn, r.PaymentReference, accounts.GetValueOrDefault(r.Uscc)))
            .ToList();

        var keyword = filter.Keyword?.Trim() ?? "";
        var filtered = all
            .Where(r => string.IsNullOrEmpty(filter.BatchId) || r.BatchId == filter.BatchId)
            .Where(r => string.IsNullOrEmpty(filter.InstitutionName) || r.InstitutionName == filter.InstitutionName)
            .Where(r => keyword.Length == 0
                || r.EnterpriseName.Contains(keyword, StringComparison.OrdinalIgnoreCase)
                || r.Uscc.Contains(keyword, StringComparison.OrdinalIgnoreCase)
                || r.RedemptionId.Contains(keyword, StringComparison.OrdinalIgnoreCase))
            .OrderBy(r => r.BatchId, StringComparer.Ordinal).ThenBy(r => r.EnterpriseName, StringComparer.Ordinal).ThenBy(r => r.RedemptionId, StringComparer.Ordinal)
            .ToList();
        var batches = filtered.GroupBy(r => r.BatchId ?? "")
            .Select(g => new PaymentBatchTotal(g.Key, g.Count(), g.Sum(r => r.AmountFen), g.Count(r => r.Account is null)))
            .OrderBy(b => b.BatchId, StringComparer.Ordinal)
            .ToList();
        return new PaymentLedger(
            filtered, batches,
            filter.Tab == PaymentLedgerTab.Payable ? all.Count : await otherCount, filter.Tab == PaymentLedgerTab.Paid ? all.Count : await otherCount,
            [.. all.Select(r => r.BatchId ?? "").Where(b => b.Length > 0).Distinct().Order(StringComparer.Ordinal)],
            [.. all.Select(r => r.InstitutionName).Distinct().Order(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Confirms many payments with one bank reference and day: the redemptions named, or (none named) every payable of
    /// <see cref="ConfirmPayments.BatchId"/>. A redemption whose enterprise has no bank account is left out and named;
    /// one already paid is counted as such and paid nothing more; the rest are refused by the single confirmation's rules.
    /// </summary>
    public async Task<Outcome<BulkPaymentResult>> ConfirmManyAsync(VoucherPrincipal caller, ConfirmPayments command, DurableTaskClient durable, CancellationToken ct)
    {
        if (caller.Role != Role.FinanceBureau)
        {
            return NotFinanceBureau;
        }

        var errors = Validate(new ConfirmPayment("", command.Reference, command.PaidOn), out var paidOn)?.Errors.ToList() ?? [];
        var ids = (command.RedemptionIds ?? []).Select(i => i?.Trim() ?? "").Where(i => i.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0 && string.IsNullOrWhiteSpace(command.BatchId))
        {
            errors.Add(new FieldError("redemptionIds", "请指定要拨付的兑付申请或批次 (Name the redemptions or a batch)"));
        }
        else if (ids.Count > MaxBulk)
        {
            errors.Add(new FieldError("redemptionIds", $"一次最多 {MaxBulk} 笔 (At most {MaxBulk} at once)"));
        }

        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        if (ids.Count == 0)
        {
            // The batch's payables: the city's payable partition, filtered by the batch.
            await PayablesIndex.BackfillAsync(store, redemptions, caller.Scope ?? "", ct);
            ids = [.. (await PayablesIndex.ReadAsync(store, caller.Scope ?? "", RedemptionStatus.Payable, command.BatchId!.Trim(), ct)).Select(r => r.RedemptionId)];
        }

        var reference = command.Reference!.Trim();
        var found = await ReadAsync(ids, ct);
        var accounts = await enterprises.BankAccountsForFinanceAsync(caller, found.Select(r => r.Uscc), ct);
        var byId = found.ToDictionary(r => r.RedemptionId, StringComparer.Ordinal);
        var paid = new System.Collections.Concurrent.ConcurrentBag<(string Id, long Fen)>();
        var already = new System.Collections.Concurrent.ConcurrentBag<string>();
        var withoutAccount = new System.Collections.Concurrent.ConcurrentBag<string>();
        var refused = new System.Collections.Concurrent.ConcurrentBag<BulkPaymentRefusal>();
        await System.Threading.Tasks.Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = ct }, async (id, token) =>
        {
            if (!byId.TryGetValue(id, out var r) || !string.Equals(r.CityCode, caller.Scope, StringComparison.OrdinalIgnoreCase))
            {
                refused.Add(new BulkPaymentRefusal(id, "兑付申请不存在或不属于本市"));
                return;
            }

            if (r.State == RedemptionStatus.Payable && !accounts.ContainsKey(r.Uscc))
            {
                withoutAccount.Add(id);
                return;
            }

            var outcome = await ConfirmPaymentAsync(r, reference, paidOn, caller.Address, durable, token);
            switch (outcome.Failure)
            {
                case null:
                    paid.Add((id, outcome.Value.FinalPaidFen));
                    break;
                case var f when f == PaymentAlreadyConfirmed:
                    already.Add(id);
                    break;
                case { } f:
                    refused.Add(new BulkPaymentRefusal(id, Web.Glossary.ChineseOnly(f.Message)));
                    break;
            }
        });

        var result = new BulkPaymentResult(
            [.. paid.Select(p => p.Id).Order(StringComparer.Ordinal)], paid.Sum(p => p.Fen),
            [.. already.Order(StringComparer.Ordinal)], [.. withoutAccount.Order(StringComparer.Ordinal)], [.. refused.OrderBy(r => r.RedemptionId, StringComparer.Ordinal)]);
        PaymentsLog.BulkConfirmed(log, caller.Address, result.Paid.Count, Cny.FromFen(result.PaidFen), result.AlreadyPaid.Count, result.WithoutAccount.Count, result.Refused.Count);
        return result;
    }

    /// <summary>The redemption rows of <paramref name="ids"/> (point reads, a few at a time); missing ones left out.</summary>
    async Task<List<RedemptionEntity>> ReadAsync(IEnumerable<string> ids, CancellationToken ct)
    {
        var found = new System.Collections.Concurrent.ConcurrentBag<RedemptionEntity>();
        await System.Threading.Tasks.Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (id, token) =>
        {
            if (RedemptionStore.IsWellFormedId(id) && await redemptions.GetAsync(id, token) is { } r)
            {
                found.Add(r);
            }
        });
        return [.. found];
    }

    static partial class PaymentsLog
    {
        [LoggerMessage(EventId = Hosting.LogEventIds.Settlement + 60, Level = LogLevel.Information, Message = "Bulk payment by {Actor}: {Paid} paid ({Amount}), {AlreadyPaid} already paid, {WithoutAccount} without a bank account, {Refused} refused")]
        public static partial void BulkConfirmed(ILogger logger, string actor, int paid, Cny amount, int alreadyPaid, int withoutAccount, int refused);
    }
}
