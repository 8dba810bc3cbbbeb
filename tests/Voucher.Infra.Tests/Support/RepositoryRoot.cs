namespace Voucher.Infra.Tests.Support;

/// <summary>Finds the repository root: the folder holding Voucher.Functions.sln above the test binaries.</summary>
public static class RepositoryRoot
{
    static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Voucher.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No Voucher.Functions.sln above {AppContext.BaseDirectory}: the tests must run from a build inside the repository.");
    }
}
