namespace Voucher.Domain.Tests;

/// <summary>
/// What every state machine of the domain is held to: allowed exactly where its table says, and a refused move throwing
/// a domain error that names both states.
/// </summary>
internal static class TransitionAssert
{
    public static void MatchesTable<T>(IReadOnlySet<(T, T)> moves, Func<T, T, bool> isAllowed)
        where T : struct, Enum
    {
        foreach (var from in Enum.GetValues<T>())
        {
            foreach (var to in Enum.GetValues<T>())
            {
                Assert.True(moves.Contains((from, to)) == isAllowed(from, to), $"{typeof(T).Name}: {from} → {to}");
            }
        }
    }

    public static void Allowed<T>(Func<T, T, bool> isAllowed, Action<T, T> ensure, T from, T to)
        where T : struct, Enum
    {
        Assert.True(isAllowed(from, to), $"{from} → {to}");
        ensure(from, to);
    }

    public static void Refused<T>(Func<T, T, bool> isAllowed, Action<T, T> ensure, T from, T to)
        where T : struct, Enum
    {
        Assert.False(isAllowed(from, to), $"{from} → {to}");
        var e = Assert.Throws<DomainException>(() => ensure(from, to));
        Assert.Contains($"from {from} to {to}", e.Message, StringComparison.Ordinal);
    }
}
