using System.Text.Json;
using Voucher.Infra.Tests.Support;

namespace Voucher.Infra.Tests;

/// <summary>azd's inputs: main.parameters.json against the template, azure.yaml against the app.</summary>
public sealed class DeploymentFilesTests
{
    static JsonElement ParametersFile()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("infra", "main.parameters.json")));
        return document.RootElement.Required("parameters").Clone();
    }

    [Fact]
    public void ParametersFile_NamesOnlyTemplateParameters_AndEveryRequiredOne()
    {
        var declared = ArmTemplate.Main.Root.Required("parameters").EnumerateObject().ToList();
        var given = ParametersFile().EnumerateObject().Select(p => p.Name).ToList();

        Assert.All(given, name => Assert.Contains(name, declared.Select(p => p.Name)));
        var required = declared.Where(p => !p.Value.TryGetProperty("defaultValue", out _)).Select(p => p.Name);
        Assert.All(required, name => Assert.Contains(name, given));
        // The generated key's seed is never given: azd would write it into .azure/<env>/.env.
        Assert.DoesNotContain("linkSigningKeySeed", given);
        // A secure value azd passes on defaults to empty (nothing written, the stored one kept).
        var parameters = ParametersFile();
        Assert.All(declared.Where(p => p.Value.GetProperty("type").GetString() == "securestring" && given.Contains(p.Name)),
            p => Assert.EndsWith("=}", parameters.RequiredString($"{p.Name}.value"), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("environmentName", "${AZURE_ENV_NAME}")]
    [InlineData("location", "${AZURE_LOCATION}")]
    [InlineData("durablePartitionCount", "${DURABLE_PARTITION_COUNT=4}")]
    [InlineData("durableAlwaysReadyInstances", "${DURABLE_ALWAYS_READY_INSTANCES=1}")]
    [InlineData("hostingPlan", "${VOUCHER_HOSTING_PLAN=FlexConsumption}")]
    [InlineData("environmentType", "${VOUCHER_ENVIRONMENT_TYPE=dev}")]
    [InlineData("vnetEnabled", "${VOUCHER_VNET_ENABLED=false}")]
    [InlineData("linkSigningKeyVault", "${LINK_SIGNING_KEY_VAULT=}")]
    [InlineData("keyVaultNameSuffix", "${KEY_VAULT_NAME_SUFFIX=}")]
    [InlineData("alertEmail", "${ALERT_EMAIL=}")]
    public void ParametersFile_MapsParameter_FromTheAzdEnvironment(string parameter, string value)
    {
        Assert.Equal(value, ParametersFile().RequiredString($"{parameter}.value"));
    }

    [Fact]
    public void AzureYaml_DeploysTheFunctionsProject_ToTheAppTaggedWithItsServiceName()
    {
        var lines = File.ReadAllLines(RepositoryRoot.Combine("azure.yaml")).Select(l => l.TrimEnd()).ToList();

        Assert.Contains("  path: infra", lines);
        Assert.Contains("services:", lines);
        Assert.Contains("  functions:", lines);
        Assert.Contains("    project: ./functions/Voucher.Functions", lines);
        Assert.Contains("    language: dotnet", lines);
        Assert.Contains("    host: function", lines);
        Assert.True(File.Exists(RepositoryRoot.Combine("functions", "Voucher.Functions", "Voucher.Functions.csproj")));

        var serviceName = ArmTemplate.Main.Root.RequiredString("variables.serviceName");
        Assert.Equal("functions", serviceName);
        var site = ArmTemplate.Main.Single("Microsoft.Web/sites", "function-app");
        Assert.Contains("'azd-service-name', parameters('serviceName')", site.Element.RequiredString("tags"), StringComparison.Ordinal);
    }
}
