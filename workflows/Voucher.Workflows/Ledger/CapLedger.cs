using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Voucher.Workflows.Ledger;

/// <summary>
/// One row per enterprise and year (PartitionKey = USCC, RowKey = <c>cap-{year}</c>) holding what was granted and
/// what each open redemption reserved. Every change is a single-entity conditional write (ETag), retried on
/// conflict: never read-then-write, so concurrent redemptions cannot pass the cap together.
/// </summary>
public sealed class CapLedgerEntity : TableRow
{
    public long GrantedFen { get; set; }

    public long ReservedFen { get; set; }

    /// <summary>Redemption id → reserved fen.</summary>
    public string ReservationsJson { get; set; } = "{}";

    /// <summary>Redemption id → granted fen (final pay-outs).</summary>
    public string GrantsJson { get; set; } = "{}";

    public Dictionary<string, long> Reservations() => JsonSerializer.Deserialize<Dictionary<string, long>>(ReservationsJson) ?? [];

    public Dictionary<string, long> Grants() => JsonSerializer.Deserialize<Dictionary<string, long>>(GrantsJson) ?? [];
}

public sealed record CapReservation(Cny Reserved, Cny CapRemainingBefore, int ConflictsRetried, bool Existing);

public sealed record CapStanding(int Year, Cny Cap, Cny Granted, Cny Reserved, Cny Remaining);

public sealed class CapLedger(VoucherStore store)
{
    const int MaxAttempts = 200;

    public static string RowKey(int year) => $"cap-{year}";

    /// <summary>
    /// Reserves what <paramref name="compute"/> decides given the cap still free. Idempotent per redemption: a
    /// second call returns the first reservation. A zero amount is not recorded (nothing is held).
    /// </summary>
    public async Task<CapReservation> ReserveAsync(string uscc, int year, string redemptionId, Cny cap, Func<Cny, Cny> compute, CancellationToken ct = default)
    {
        var conflicts = 0;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var row = await store.GetAsync<CapLedgerEntity>(VoucherStore.Ledger, uscc, RowKey(year), ct);
            var isNew = row is null;
            row ??= new CapLedgerEntity { PartitionKey = uscc, RowKey = RowKey(year) };
            var reservations = row.Reservations();
            var grants = row.Grants();
            if (reservations.TryGetValue(redemptionId, out var held) || grants.TryGetValue(redemptionId, out held))
            {
                return new CapReservation(Cny.FromFen(held), AnnualCap.Remaining(cap, Cny.FromFen(row.GrantedFen), Cny.FromFen(row.ReservedFen - held)), conflicts, true);
            }

            var remaining = AnnualCap.Remaining(cap, Cny.FromFen(row.GrantedFen), Cny.FromFen(row.ReservedFen));
            var amount = Cny.Min(compute(remaining), remaining);
            if (!amount.IsPositive)
            {
                // Nothing to hold (the cap is used up): no row is written, and the caller does not queue a 0.00 item.
                return new CapReservation(Cny.Zero, remaining, conflicts, false);
            }

            reservations[redemptionId] = amount.Fen;
            row.ReservationsJson = JsonSerializer.Serialize(reservations);
            row.ReservedFen += amount.Fen;
            if (await TryWriteAsync(row, isNew, ct))
            {
                return new CapReservation(amount, remaining, conflicts, false);
            }

            conflicts++;
            await Task.Delay(Random.Shared.Next(5, 20 + Math.Min(conflicts, 50) * 5), ct);
        }

        throw new DomainException("年度额度账户繁忙，请稍后重试 (The annual cap ledger is busy; retry)");
    }

    /// <summary>Gives back a reservation (withdrawal, rejection). Idempotent.</summary>
    public Task ReleaseAsync(string uscc, int year, string redemptionId, CancellationToken ct = default) =>
        ChangeAsync(uscc, year, row =>
        {
            var reservations = row.Reservations();
            if (!reservations.Remove(redemptionId, out var held))
            {
                return false;
            }

            row.ReservationsJson = JsonSerializer.Serialize(reservations);
            row.ReservedFen -= held;
            return true;
        }, ct);

    /// <summary>Turns a reservation into a final grant (payment confirmed). Idempotent.</summary>
    public Task GrantAsync(string uscc, int year, string redemptionId, CancellationToken ct = default) =>
        ChangeAsync(uscc, year, row =>
        {
            var reservations = row.Reservations();
            var grants = row.Grants();
            if (grants.ContainsKey(redemptionId) || !reservations.Remove(redemptionId, out var held))
            {
                return false;
            }

            grants[redemptionId] = held;
            row.ReservationsJson = JsonSerializer.Serialize(reservations);
            row.GrantsJson = JsonSerializer.Serialize(grants);
            row.ReservedFen -= held;
            row.GrantedFen += held;
            return true;
        }, ct);

    /// <summary>
    /// The advance of a redemption was paid (the finance bureau confirmed it): that part of its reservation becomes granted
    /// now, under the key <c>{redemption}~advance</c>; the final <see cref="GrantAsync"/> grants the rest. Idempotent.
    /// </summary>
    public Task GrantAdvanceAsync(string uscc, int year, string redemptionId, Cny advance, CancellationToken ct = default) =>
        ChangeAsync(uscc, year, row =>
        {
            var reservations = row.Reservations();
            var grants = row.Grants();
            var key = AdvanceKey(redemptionId);
            if (grants.ContainsKey(key) || !reservations.TryGetValue(redemptionId, out var held) || !advance.IsPositive || advance.Fen > held)
            {
                return false;
            }

            reservations[redemptionId] = held - advance.Fen;
            grants[key] = advance.Fen;
            row.ReservationsJson = JsonSerializer.Serialize(reservations);
            row.GrantsJson = JsonSerializer.Serialize(grants);
            row.ReservedFen -= advance.Fen;
            row.GrantedFen += advance.Fen;
            return true;
        }, ct);

    public static string AdvanceKey(string redemptionId) => redemptionId + "~advance";

    public async Task<CapStanding> GetAsync(string uscc, int year, Cny cap, CancellationToken ct = default)
    {
        var row = await store.GetAsync<CapLedgerEntity>(VoucherStore.Ledger, uscc, RowKey(year), ct);
        var granted = Cny.FromFen(row?.GrantedFen ?? 0);
        var reserved = Cny.FromFen(row?.ReservedFen ?? 0);
        return new CapStanding(year, cap, granted, reserved, AnnualCap.Remaining(cap, granted, reserved));
    }

    async Task ChangeAsync(string uscc, int year, Func<CapLedgerEntity, bool> change, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var row = await store.GetAsync<CapLedgerEntity>(VoucherStore.Ledger, uscc, RowKey(year), ct);
            if (row is null || !change(row))
            {
                return;
            }

            if (await TryWriteAsync(row, false, ct))
            {
                return;
            }

            await Task.Delay(Random.Shared.Next(5, 50), ct);
        }

        throw new DomainException("年度额度账户繁忙，请稍后重试 (The annual cap ledger is busy; retry)");
    }

    async Task<bool> TryWriteAsync(CapLedgerEntity row, bool isNew, CancellationToken ct)
    {
        try
        {
            if (isNew)
            {
                await store.Table(VoucherStore.Ledger).AddEntityAsync(row, ct);
            }
            else
            {
                await store.Table(VoucherStore.Ledger).UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, ct);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }
}
