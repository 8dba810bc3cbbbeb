using Azure.Data.Tables;
using Voucher.Workflows.Audit;
using RequestFailedException = Azure.RequestFailedException;

namespace Voucher.Workflows.Enterprises;

/// <summary>A change of account entered and waiting for the enterprise's confirmation (the new number masked).</summary>
public sealed record PendingBankChange(string BankName, string AccountName, string MaskedNumber, DateTimeOffset EnteredAt);

/// <summary>
/// An enterprise's bank account as one caller may see it: the number whole (<paramref name="Masked"/> false) only for the
/// enterprise itself and its city's finance bureau; a pending change only for the enterprise itself.
/// </summary>
public sealed record BankAccountView(string Uscc, string BankName, string AccountName, string AccountNumber, bool Masked, string NameNote, DateTimeOffset EnteredAt, PendingBankChange? Pending);

/// <summary>The answer to a read: the account, or null when the enterprise has not entered one.</summary>
public sealed record BankAccountAnswer(string Uscc, BankAccountView? Account);

/// <summary>What a save did: the account in force, and a change waiting for confirmation (null when none).</summary>
public sealed record BankAccountSaved(BankAccountEntity? Current, BankAccountEntity? Pending, bool Changed);

/// <summary>The confirmation of a pending change: the new number typed again.</summary>
public sealed record ConfirmBankAccountRequest(string? AccountNumber);

/// <summary>
/// The payee's bank account: the enterprise enters it on its profile; the first account is in force at once, a change
/// of an existing one waits until the enterprise confirms it by typing the new number again (a second, deliberate step
/// that a mistyped or slipped-in change does not pass), and every entry, change and confirmation is audited with the
/// numbers masked. Read whole by the enterprise itself and its city's finance bureau; masked for its city's S&amp;T bureau
/// and the province; anyone else is answered as for a missing enterprise.
/// </summary>
public sealed partial class EnterpriseService
{
    static readonly Failure NotTheEnterpriseItself = new Failure.Forbidden("银行账户只能由企业本身填写和确认 (Only the enterprise itself enters and confirms its bank account)");

    /// <summary>The account the caller may see, or null when none is entered; NotFound when the caller may not see it at all.</summary>
    public async Task<Outcome<BankAccountAnswer>> BankAccountAsync(VoucherPrincipal caller, string uscc, CancellationToken ct)
    {
        var key = uscc.ToUpperInvariant();
        var enterprise = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, key, EnterpriseEntity.ProfileRow, ct);
        if (enterprise is null || ReadsBankAccount(caller, enterprise) is not { } whole)
        {
            return NotFound(key);
        }

        var (current, pending) = await BankRowsAsync(key, ct);
        var itself = IsEnterpriseItself(caller, key);
        if (current is null && !(itself && pending is not null))
        {
            return new BankAccountAnswer(key, null);
        }

        var shown = current ?? new BankAccountEntity { PartitionKey = key };
        return new BankAccountAnswer(key, new BankAccountView(
            key, shown.BankName, shown.AccountName, whole ? BankAccounts.Grouped(shown.AccountNumber) : BankAccounts.Mask(shown.AccountNumber), !whole, shown.NameNote, shown.EnteredAt,
            itself && pending is not null ? new PendingBankChange(pending.BankName, pending.AccountName, BankAccounts.Mask(pending.AccountNumber), pending.EnteredAt) : null));
    }

    /// <summary>The accounts in force of several enterprises (finance's payables and payment file); missing ones are left out.</summary>
    public async Task<Dictionary<string, BankAccountEntity>> BankAccountsForFinanceAsync(VoucherPrincipal caller, IEnumerable<string> usccs, CancellationToken ct)
    {
        var found = new Dictionary<string, BankAccountEntity>(StringComparer.Ordinal);
        if (caller.Role != Role.FinanceBureau)
        {
            return found;
        }

        using var gate = new SemaphoreSlim(16);
        var reads = usccs.Distinct(StringComparer.Ordinal).Select(async uscc =>
        {
            await gate.WaitAsync(ct);
            try
            {
                var enterprise = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, uscc, EnterpriseEntity.ProfileRow, ct);
                var account = enterprise is not null && ReadsBankAccount(caller, enterprise) == true
                    ? await store.GetAsync<BankAccountEntity>(VoucherStore.Enterprises, uscc, BankAccountEntity.CurrentRow, ct)
                    : null;
                return (uscc, account);
            }
            finally
            {
                gate.Release();
            }
        });
        foreach (var (uscc, account) in await Task.WhenAll(reads))
        {
            if (account is not null)
            {
                found[uscc] = account;
            }
        }

        return found;
    }

    /// <summary>
    /// The enterprise enters its account. The first one is in force at once; a different one replaces any earlier pending
    /// change and waits for <see cref="ConfirmBankAccountChangeAsync"/>; the same one again changes nothing.
    /// </summary>
    public async Task<Outcome<BankAccountSaved>> SaveBankAccountAsync(VoucherPrincipal caller, string uscc, BankAccountRequest request, CancellationToken ct)
    {
        var key = uscc.ToUpperInvariant();
        if (!IsEnterpriseItself(caller, key))
        {
            return caller.IsEnterprise(key) ? NotTheEnterpriseItself : NotFound(key);
        }

        var enterprise = await store.GetAsync<EnterpriseEntity>(VoucherStore.Enterprises, key, EnterpriseEntity.ProfileRow, ct);
        if (enterprise is null)
        {
            return NotFound(key);
        }

        var (entered, errors) = BankAccounts.Validate(request, enterprise.Name);
        if (errors.Count > 0)
        {
            return new Failure.Invalid(errors);
        }

        var now = time.GetUtcNow();
        entered!.PartitionKey = key;
        entered.EnteredAt = now;
        entered.EnteredBy = caller.Actor;
        var (current, pending) = await BankRowsAsync(key, ct);
        if (current is null)
        {
            entered.RowKey = BankAccountEntity.CurrentRow;
            if (!await store.TryAddAsync(VoucherStore.Enterprises, entered, ct))
            {
                return new Failure.Conflict("银行账户刚被填写，请刷新后核对 (Entered meanwhile; reload)");
            }

            await audit.AppendAsync(AuditSubjects.Enterprise(key), caller.Actor, now, "", "bank-account", 0, $"填写银行账户：{BankAccounts.Describe(entered)} (bank account entered)", ct);
            EnterpriseLog.BankAccountEntered(log, key, caller.Actor);
            return new BankAccountSaved(entered, null, true);
        }

        if (BankAccounts.SameAs(current, entered))
        {
            return new BankAccountSaved(current, pending, false);
        }

        entered.RowKey = BankAccountEntity.PendingRow;
        await store.UpsertAsync(VoucherStore.Enterprises, entered, ct);
        await audit.AppendAsync(AuditSubjects.Enterprise(key), caller.Actor, now, "bank-account", "bank-account-pending", 0,
            $"申请变更银行账户（待企业确认）：{BankAccounts.Describe(current)} → {BankAccounts.Describe(entered)} (bank account change entered)", ct);
        EnterpriseLog.BankAccountChangeEntered(log, key, caller.Actor);
        return new BankAccountSaved(current, entered, true);
    }

    /// <summary>
    /// The enterprise confirms its pending change by typing the new number again: the change takes force (under the row's
    /// ETag), the pending row goes, and the audit names the old and the new account (masked).
    /// </summary>
    public async Task<Outcome<BankAccountEntity>> ConfirmBankAccountChangeAsync(VoucherPrincipal caller, string uscc, ConfirmBankAccountRequest request, CancellationToken ct)
    {
        var key = uscc.ToUpperInvariant();
        if (!IsEnterpriseItself(caller, key))
        {
            return caller.IsEnterprise(key) ? NotTheEnterpriseItself : NotFound(key);
        }

        var (current, pending) = await BankRowsAsync(key, ct);
        if (pending is null || current is null)
        {
            return new Failure.Conflict("没有待确认的银行账户变更 (No change is waiting for confirmation)");
        }

        if (BankAccounts.Normalize(request.AccountNumber) != pending.AccountNumber)
        {
            return new Failure.Invalid([new FieldError("accountNumber", "与待确认的新账号不一致，请核对后重新输入 (Does not match the new account number)")]);
        }

        var before = BankAccounts.Describe(current);
        current.BankName = pending.BankName;
        current.AccountName = pending.AccountName;
        current.AccountNumber = pending.AccountNumber;
        current.NameNote = pending.NameNote;
        current.EnteredAt = pending.EnteredAt;
        current.EnteredBy = pending.EnteredBy;
        current.ConfirmedAt = time.GetUtcNow();
        var table = store.Table(VoucherStore.Enterprises);
        try
        {
            await table.UpdateEntityAsync(current, current.ETag, TableUpdateMode.Replace, ct);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return new Failure.Conflict("银行账户刚被修改，请刷新后重试 (Changed meanwhile; reload and retry)");
        }

        try
        {
            await table.DeleteEntityAsync(key, BankAccountEntity.PendingRow, pending.ETag, ct);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Gone or entered again meanwhile: a newer pending change stays for its own confirmation.
        }

        await audit.AppendAsync(AuditSubjects.Enterprise(key), caller.Actor, current.ConfirmedAt.Value, "bank-account-pending", "bank-account", 0,
            $"确认变更银行账户：{before} → {BankAccounts.Describe(current)} (bank account change confirmed)", ct);
        EnterpriseLog.BankAccountChangeConfirmed(log, key, caller.Actor);
        return current;
    }

    /// <summary>The account in force and a pending change (a pending row equal to the account in force is no change: left over from a confirmation that stopped).</summary>
    async Task<(BankAccountEntity? Current, BankAccountEntity? Pending)> BankRowsAsync(string uscc, CancellationToken ct)
    {
        var current = store.GetAsync<BankAccountEntity>(VoucherStore.Enterprises, uscc, BankAccountEntity.CurrentRow, ct);
        var pending = store.GetAsync<BankAccountEntity>(VoucherStore.Enterprises, uscc, BankAccountEntity.PendingRow, ct);
        var (c, p) = (await current, await pending);
        return (c, p is not null && c is not null && BankAccounts.SameAs(c, p) ? null : p);
    }

    /// <summary>The enterprise signed in as itself (not an agency acting for it).</summary>
    static bool IsEnterpriseItself(VoucherPrincipal caller, string uscc) => caller.IsEnterprise(uscc) && caller.Agency is null;

    /// <summary>True: may read the number whole; false: only masked; null: may not read it at all.</summary>
    static bool? ReadsBankAccount(VoucherPrincipal caller, EnterpriseEntity enterprise)
    {
        if (IsEnterpriseItself(caller, enterprise.Uscc) || (caller.Role == Role.FinanceBureau && string.Equals(caller.Scope, enterprise.CityCode, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return EnterpriseAccess.CanRead(caller, enterprise) ? false : null;
    }
}
