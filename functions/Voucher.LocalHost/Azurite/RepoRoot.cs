namespace Voucher.LocalHost.Azurite;

/// <summary>Finds the repository root: the directory that contains <c>Voucher.Functions.sln</c>.</summary>
public static class RepoRoot
{
    /// <summary>The file that marks the repository root.</summary>
    public const string MarkerFileName = "Voucher.Functions.sln";

    /// <summary>
    /// Walks up from <see cref="AppContext.BaseDirectory"/>, then from the current directory, and returns the
    /// first directory that contains <see cref="MarkerFileName"/>.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">Neither walk found the solution file.</exception>
    public static string Find()
    {
        var starts = new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() };
        foreach (var start in starts)
        {
            var found = FindFrom(start);
            if (found is not null)
            {
                return found;
            }
        }

        throw new DirectoryNotFoundException(
            $"Could not find the repository root (a directory containing '{MarkerFileName}') walking up from " +
            $"'{starts[0]}' or from the current directory '{starts[1]}'. Run from inside the repository clone.");
    }

    /// <summary>Walks up from <paramref name="start"/>; returns null when no ancestor contains the solution file.</summary>
    public static string? FindFrom(string start)
    {
        if (string.IsNullOrWhiteSpace(start))
        {
            return null;
        }

        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, MarkerFileName)))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
