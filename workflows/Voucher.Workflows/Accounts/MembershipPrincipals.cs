namespace Voucher.Workflows.Accounts;

/// <summary>A request's signed-in person: who (from the identity provider) and the principal of the active membership (null when none acts).</summary>
public sealed record SignedIn(SignedInIdentity Identity, Membership? Active, VoucherPrincipal? Principal)
{
    const string ItemKey = "voucher.signed-in";

    /// <summary>What <see cref="MembershipPrincipals.ResolveAsync"/> found for this request (null: anonymous, or not resolved).</summary>
    public static SignedIn? Of(HttpContext http) => http.Items.TryGetValue(ItemKey, out var value) ? value as SignedIn : null;

    internal static void Keep(HttpContext http, SignedIn? signedIn) => http.Items[ItemKey] = signedIn;

    internal static bool Resolved(HttpContext http) => http.Items.ContainsKey(ItemKey);
}

/// <summary>
/// Builds the principal of every request from the person's active membership, read from storage each time, so a
/// revocation takes effect on the next request. The identity provider says who; the membership says as what: role,
/// scope, <see cref="VoucherPrincipal.MembershipId"/>, and <see cref="VoucherPrincipal.Verified"/> while a claim waits.
/// The active membership is the one the <see cref="ActiveCookie"/> names — one point read in the person's own
/// partition, so another person's id is never found — else the person's first acting membership (verified first),
/// which the cookie then names. A rejected or revoked membership acts no more.
/// </summary>
public sealed partial class MembershipPrincipals(IPrincipalSource source, MembershipStore memberships, ILogger<MembershipPrincipals> log)
{
    /// <summary>The cookie naming the active membership (its id; validated against the person's memberships on every request).</summary>
    public const string ActiveCookie = "voucher_membership";

    /// <summary>Who granted a membership from an Entra ID token's app role (a deployment from before memberships).</summary>
    public const string TokenGrant = "identity-provider";

    /// <summary>The signed-in person of the request and their active membership; resolved once per request.</summary>
    public async Task<SignedIn?> ResolveAsync(HttpContext http)
    {
        if (SignedIn.Resolved(http))
        {
            return SignedIn.Of(http);
        }

        var identity = source.Read(http.Request);
        SignedIn? result = null;
        if (identity is not null)
        {
            var cookie = http.Request.Cookies[ActiveCookie];
            var active = await ActiveAsync(identity, cookie, http.RequestAborted);
            if (active is not null && active.Id != cookie)
            {
                Remember(http, active.Id);
            }

            result = new SignedIn(identity, active, active is null ? null : PrincipalOf(identity, active));
        }

        SignedIn.Keep(http, result);
        return result;
    }

    /// <summary>The principal acting through <paramref name="membership"/>.</summary>
    public static VoucherPrincipal PrincipalOf(SignedInIdentity identity, Membership membership) =>
        new(identity.Subject, identity.Name, membership.Role, membership.Scope)
        {
            MembershipId = membership.Id,
            Verified = membership.State == MembershipState.Verified,
        };

    /// <summary>Makes <paramref name="membershipId"/> the active membership from the next request on.</summary>
    public static void Remember(HttpContext http, string membershipId) =>
        http.Response.Cookies.Append(ActiveCookie, membershipId, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/", Secure = http.Request.IsHttps,
        });

    public static void Forget(HttpContext http) => http.Response.Cookies.Delete(ActiveCookie);

    async Task<Membership?> ActiveAsync(SignedInIdentity identity, string? cookie, CancellationToken ct)
    {
        if (MembershipKeys.IsIdShape(cookie) && await memberships.FindOfPersonAsync(identity.Subject, cookie!, ct) is { Acts: true } chosen)
        {
            return chosen;
        }

        var mine = await memberships.OfPersonAsync(identity.Subject, ct);
        if (identity.ClaimedRoles.Count > 0)
        {
            mine = await GrantClaimedRolesAsync(identity, mine, ct);
        }

        return FirstActing(mine);
    }

    /// <summary>The membership a person acts as when none is chosen: the newest verified one, else the newest pending claim.</summary>
    public static Membership? FirstActing(IEnumerable<Membership> memberships) =>
        memberships.Where(m => m.Acts).OrderByDescending(m => m.State == MembershipState.Verified).ThenByDescending(m => m.ChangedAt).FirstOrDefault();

    /// <summary>
    /// An Entra ID token's app roles (role + <c>voucher_scope</c>) are granted as memberships once: a role the person never
    /// held is granted (administrator when the party has none); a membership revoked since stays revoked.
    /// </summary>
    async Task<IReadOnlyList<Membership>> GrantClaimedRolesAsync(SignedInIdentity identity, IReadOnlyList<Membership> mine, CancellationToken ct)
    {
        var granted = false;
        foreach (var (role, scope) in identity.ClaimedRoles)
        {
            if (!PartyScopes.TryNormalize(role, scope, out var normalized, out _)
                || mine.Any(m => m.Id == MembershipKeys.IdOf(identity.Subject, role, normalized)))
            {
                continue;
            }

            if (!granted)
            {
                await memberships.EnsurePersonAsync(identity.Subject, identity.Name, identity.Phone, ct);
            }

            var party = await memberships.OfPartyAsync(role, normalized, ct);
            var administrator = !party.Any(m => m.State == MembershipState.Verified && m.Administrator);
            await memberships.GrantAsync(identity.Subject, role, normalized, administrator, TokenGrant, ct);
            Log.GrantedFromToken(log, RoleNames.ClaimValue(role), normalized ?? "", administrator);
            granted = true;
        }

        return granted ? await memberships.OfPersonAsync(identity.Subject, ct) : mine;
    }

    static partial class Log
    {
        [LoggerMessage(EventId = Hosting.LogEventIds.Http + 20, Level = LogLevel.Warning, Message = "Granted the membership {Role}:{Scope} (administrator: {Administrator}) from the sign-in token's app role")]
        public static partial void GrantedFromToken(ILogger logger, string role, string scope, bool administrator);
    }
}
