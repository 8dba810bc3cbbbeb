using System.Text.Json;

namespace Voucher.Domain.Tests;

/// <summary>The marketplace's state machines (every pair of states against the table written out here) and the lowercase names they are stored and shown under.</summary>
public class MarketplaceTransitionsTests
{
    static readonly HashSet<(InstitutionStatus, InstitutionStatus)> InstitutionMoves =
    [
        (InstitutionStatus.Pending, InstitutionStatus.Verified),
        (InstitutionStatus.Pending, InstitutionStatus.Rejected),
        (InstitutionStatus.Verified, InstitutionStatus.Rejected),
        (InstitutionStatus.Verified, InstitutionStatus.Pending),
        (InstitutionStatus.Rejected, InstitutionStatus.Verified),
        (InstitutionStatus.Rejected, InstitutionStatus.Pending),
    ];

    static readonly HashSet<(ServiceStatus, ServiceStatus)> ServiceMoves =
    [
        (ServiceStatus.Published, ServiceStatus.Paused),
        (ServiceStatus.Published, ServiceStatus.Retired),
        (ServiceStatus.Paused, ServiceStatus.Published),
        (ServiceStatus.Paused, ServiceStatus.Retired),
    ];

    static readonly HashSet<(DemandStatus, DemandStatus)> DemandMoves =
    [
        (DemandStatus.Open, DemandStatus.Accepted),
        (DemandStatus.Open, DemandStatus.Closed),
    ];

    static readonly HashSet<(OfferStatus, OfferStatus)> OfferMoves =
    [
        (OfferStatus.Open, OfferStatus.Accepted),
        (OfferStatus.Open, OfferStatus.Withdrawn),
        (OfferStatus.Withdrawn, OfferStatus.Open),
    ];

    [Fact]
    public void Every_pair_of_states_is_allowed_exactly_when_the_table_says_so_and_otherwise_refused_with_both_names()
    {
        TransitionAssert.MatchesTable(InstitutionMoves, InstitutionTransitions.IsAllowed);
        TransitionAssert.MatchesTable(ServiceMoves, ServiceTransitions.IsAllowed);
        TransitionAssert.MatchesTable(DemandMoves, DemandTransitions.IsAllowed);
        TransitionAssert.MatchesTable(OfferMoves, OfferTransitions.IsAllowed);

        Assert.Contains("Retired", Assert.Throws<DomainException>(() => ServiceTransitions.Ensure(ServiceStatus.Retired, ServiceStatus.Published)).Message, StringComparison.Ordinal);
        Assert.Contains("Pending", Assert.Throws<DomainException>(() => InstitutionTransitions.Ensure(InstitutionStatus.Pending, InstitutionStatus.Pending)).Message, StringComparison.Ordinal);
        Assert.Contains("Accepted", Assert.Throws<DomainException>(() => DemandTransitions.Ensure(DemandStatus.Accepted, DemandStatus.Closed)).Message, StringComparison.Ordinal);
        Assert.Contains("Withdrawn", Assert.Throws<DomainException>(() => OfferTransitions.Ensure(OfferStatus.Withdrawn, OfferStatus.Accepted)).Message, StringComparison.Ordinal);
        Assert.True(ServiceTransitions.IsFinal(ServiceStatus.Retired));
        Assert.False(ServiceTransitions.IsFinal(ServiceStatus.Paused));
    }

    [Fact]
    public void Statuses_keep_the_lowercase_names_rows_and_the_api_have_always_used()
    {
        Assert.Equal(["pending", "verified", "rejected"], Enum.GetValues<InstitutionStatus>().Select(StoredName<InstitutionStatus>.Of));
        Assert.Equal(["published", "paused", "retired"], Enum.GetValues<ServiceStatus>().Select(StoredName<ServiceStatus>.Of));
        Assert.Equal(["open", "accepted", "closed"], Enum.GetValues<DemandStatus>().Select(StoredName<DemandStatus>.Of));
        Assert.Equal(["open", "accepted", "withdrawn"], Enum.GetValues<OfferStatus>().Select(StoredName<OfferStatus>.Of));

        // JSON with default options writes and reads the same names (the enums carry their own converter).
        Assert.Equal("\"paused\"", JsonSerializer.Serialize(ServiceStatus.Paused));
        Assert.Equal(InstitutionStatus.Verified, JsonSerializer.Deserialize<InstitutionStatus>("\"verified\""));
    }

    [Fact]
    public void A_stored_name_parses_back_an_empty_column_takes_the_given_default_and_an_unknown_one_is_refused()
    {
        Assert.Equal(ServiceStatus.Retired, StoredName<ServiceStatus>.Parse("retired", ServiceStatus.Published));
        Assert.Equal(ServiceStatus.Published, StoredName<ServiceStatus>.Parse("", ServiceStatus.Published));
        Assert.Equal(InstitutionStatus.Verified, StoredName<InstitutionStatus>.Parse(null, InstitutionStatus.Verified));
        Assert.Throws<FormatException>(() => StoredName<DemandStatus>.Parse("Open", DemandStatus.Open)); // the names are case-sensitive
        Assert.False(StoredName<OfferStatus>.TryParse("declined", out _));
        Assert.True(StoredName<OfferStatus>.TryParse("withdrawn", out var withdrawn));
        Assert.Equal(OfferStatus.Withdrawn, withdrawn);
    }
}
