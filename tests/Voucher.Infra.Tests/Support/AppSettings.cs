using System.Text.Json;

namespace Voucher.Infra.Tests.Support;

/// <summary>The two places a setting must appear: local.settings.sample.json and the Bicep app settings.</summary>
public static class AppSettings
{
    /// <summary>Names under <c>Values</c> in local.settings.sample.json at the repository root.</summary>
    public static IReadOnlyDictionary<string, string?> LocalSample()
    {
        var path = RepositoryRoot.Combine("local.settings.sample.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Required("Values").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText());
    }

    /// <summary>The <c>appsettings</c> config resource of the function-app module in the compiled template.</summary>
    public static ArmResource AzureResource() =>
        ArmTemplate.Main.Single("Microsoft.Web/sites/config", "function-app", r => r.Name.Contains("'appsettings'", StringComparison.Ordinal));

    /// <summary>
    /// App settings the Bicep gives the Function App in a parameter combination (default: what `azd up` deploys with
    /// no option set): name to value, evaluated where it is known offline, else its expression (<c>[parameters('identityClientId')]</c>).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Azure(string combination = "default")
    {
        var settings = ArmDeployment.Load(combination)
            .SingleDeployed("Microsoft.Web/sites/config", "function-app", r => r.Name.Contains("'appsettings'", StringComparison.Ordinal))
            .Value("properties");
        var values = Assert.IsType<Dictionary<string, object?>>(settings);
        return values.ToDictionary(p => p.Key, p => p.Value switch
        {
            string s => s,
            ArmUnknown u => u.Expression,
            null => "",
            var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture) ?? "",
        }, StringComparer.Ordinal);
    }

    /// <summary>
    /// A setting is present under its exact name, or in identity form: the name followed by <c>__</c> and a
    /// property (<c>DurableStorage__accountName</c>).
    /// </summary>
    public static bool IsPresent(IEnumerable<string> names, string setting) =>
        names.Any(n => n == setting || n.StartsWith(setting + "__", StringComparison.Ordinal));
}
