using System.Collections.Concurrent;

namespace Voucher.Workflows.Accounts;

/// <summary>
/// This host's copy of people's memberships — the one lookup that builds every signed-in request's principal
/// (<see cref="MembershipPrincipals"/>) and the header's switcher — so a request reads no storage while the person's
/// entry is fresh (issue #20: the read was one storage call on every request, status polls included). It stays correct by:
/// <list type="bullet">
/// <item>the host that changes a membership evicting the person at once (<see cref="MembershipStore"/>, right after the
/// membership row is written), so on that host the very next request sees the change;</item>
/// <item>every other host evicting the people the change feed names (<see cref="MembershipChangeFeed"/>, read every
/// <see cref="MembershipFeedPoller.Interval"/> by <see cref="MembershipFeedPoller"/>), so there within about a second;</item>
/// <item>each entry expiring after <see cref="TimeToLive"/> in any case: the backstop when a feed record is missing (a
/// crash between the membership write and the record) or the feed cannot be read.</item>
/// </list>
/// A read that raced an eviction (loaded before the change was written, stored after the eviction) is not kept: every
/// eviction advances a counter that the read checks once it has stored. At most <c>capacity</c> people are kept; past
/// that, expired entries go first, then those closest to expiring. Person rows (name, phone) are not part of an entry:
/// the principal's name comes from the identity provider.
/// </summary>
public sealed class MembershipCache(Func<string, CancellationToken, Task<IReadOnlyList<Membership>>> load, TimeProvider time, int capacity = MembershipCache.DefaultCapacity)
{
    public const int DefaultCapacity = 10_000;

    /// <summary>How long another host may act on a change it was not told of (a lost feed record); then the entry is read again.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(30);

    readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    long evictions;

    /// <summary>How many people are kept now.</summary>
    public int Count => entries.Count;

    /// <summary>Every membership of the person, newest change first, as <see cref="IMemberships.OfPersonAsync"/> answers it: from this host's copy while fresh.</summary>
    public async Task<IReadOnlyList<Membership>> OfPersonAsync(string subject, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (entries.TryGetValue(subject, out var kept) && kept.Expires > now)
        {
            return kept.Memberships;
        }

        var before = Interlocked.Read(ref evictions);
        var loaded = await load(subject, ct);
        if (Interlocked.Read(ref evictions) != before)
        {
            return loaded; // evicted while loading: what was read may predate the change, so it is used once and not kept
        }

        var entry = new Entry(loaded, now + TimeToLive);
        MakeRoom(now);
        entries[subject] = entry;
        if (Interlocked.Read(ref evictions) != before)
        {
            // An eviction came between the check and the store: take back this entry (only this one, not a newer read's).
            entries.TryRemove(KeyValuePair.Create(subject, entry));
        }

        return loaded;
    }

    /// <summary>Forgets the person: the next lookup reads storage.</summary>
    public void Evict(string subject)
    {
        Interlocked.Increment(ref evictions);
        entries.TryRemove(subject, out _);
    }

    void MakeRoom(DateTimeOffset now)
    {
        if (entries.Count < capacity)
        {
            return;
        }

        foreach (var (subject, entry) in entries)
        {
            if (entry.Expires <= now)
            {
                entries.TryRemove(KeyValuePair.Create(subject, entry));
            }
        }

        var excess = entries.Count - capacity + Math.Max(1, capacity / 10);
        if (excess <= 0 || entries.Count < capacity)
        {
            return;
        }

        foreach (var (subject, entry) in entries.OrderBy(e => e.Value.Expires).Take(excess).ToList())
        {
            entries.TryRemove(KeyValuePair.Create(subject, entry));
        }
    }

    /// <summary>A class, not a record: removing "this entry" compares references, never equal contents of a newer read.</summary>
    sealed class Entry(IReadOnlyList<Membership> memberships, DateTimeOffset expires)
    {
        public IReadOnlyList<Membership> Memberships { get; } = memberships;

        public DateTimeOffset Expires { get; } = expires;
    }
}
