namespace Voucher.Workflows.Security;

/// <summary>Reads the caller's principal from a request. One implementation per host mode.</summary>
public interface IPrincipalSource
{
    /// <summary>Whether the development sign-in pages may be used (local host only).</summary>
    bool AllowsDevelopmentSignIn { get; }

    VoucherPrincipal? Read(HttpRequest request);
}
