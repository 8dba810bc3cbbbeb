using System.Text.Json;

namespace Voucher.LocalHost.Hosting;

/// <summary>
/// The local host reads the same settings file as the Functions host: <c>local.settings.json</c> when a
/// developer made one, else <c>local.settings.sample.json</c>. Environment variables and the command line win.
/// </summary>
public static class LocalSettings
{
    public static IReadOnlyDictionary<string, string?> Load(string? repoRoot)
    {
        if (repoRoot is null)
        {
            return new Dictionary<string, string?>();
        }

        var file = new[] { "local.settings.json", "local.settings.sample.json" }
            .Select(name => Path.Combine(repoRoot, name))
            .FirstOrDefault(File.Exists);
        if (file is null)
        {
            return new Dictionary<string, string?>();
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (doc.RootElement.TryGetProperty("Values", out var section))
        {
            foreach (var p in section.EnumerateObject())
            {
                values[p.Name.Replace("__", ":", StringComparison.Ordinal)] = p.Value.ToString();
            }
        }

        return values;
    }

    /// <summary>Puts the file's values underneath every other configuration source.</summary>
    public static void AddAsLowestPriority(IConfigurationBuilder configuration, string? repoRoot)
    {
        var values = Load(repoRoot);
        if (values.Count > 0)
        {
            configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = values });
        }
    }
}
