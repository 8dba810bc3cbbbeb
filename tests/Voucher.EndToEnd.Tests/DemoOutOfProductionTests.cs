using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Voucher.Workflows.Http;

namespace Voucher.EndToEnd.Tests;

/// <summary>
/// Demo seeding lives in <c>Voucher.Demo</c>, which only the local host references: the Functions app (what is deployed
/// to Azure) neither references nor ships it, and the shared workflows assembly holds no demo type.
/// </summary>
public sealed class DemoOutOfProductionTests
{
    const string DemoAssembly = "Voucher.Demo";

    [Fact]
    public void FunctionsApp_NeitherReferencesNorShipsTheDemoAssembly()
    {
        var output = Path.Combine(FunctionsMetadata.RepoRoot(), "functions", "Voucher.Functions", "bin", FunctionsMetadata.Configuration, "net10.0");
        var app = Path.Combine(output, "Voucher.Functions.dll");
        Assert.True(File.Exists(app), $"{app} is missing: build the whole solution first (dotnet build Voucher.Functions.sln -c {FunctionsMetadata.Configuration}).");

        Assert.Contains("Voucher.Workflows", ReferencedAssemblies(app));
        Assert.DoesNotContain(DemoAssembly, ReferencedAssemblies(app));
        Assert.DoesNotContain(DemoAssembly, typeof(RouteDef).Assembly.GetReferencedAssemblies().Select(a => a.Name));
        Assert.False(File.Exists(Path.Combine(output, DemoAssembly + ".dll")), $"{DemoAssembly}.dll is in the Functions app's output {output}");
    }

    [Fact]
    public void WorkflowsAssembly_HasNoDemoType()
    {
        var demoTypes = typeof(RouteDef).Assembly.GetTypes()
            .Where(t => t.FullName!.Contains("Demo", StringComparison.Ordinal))
            .Select(t => t.FullName)
            .ToList();

        Assert.True(demoTypes.Count == 0, "Demo types in Voucher.Workflows (they belong in workflows/Voucher.Demo): " + string.Join(", ", demoTypes));
    }

    [Fact]
    public void LocalHost_ReferencesTheDemoAssembly()
    {
        // The other side of the rule: --demo still works because the local host brings the seeders in.
        Assert.Contains(DemoAssembly, typeof(Voucher.LocalHost.Hosting.LocalHostApp).Assembly.GetReferencedAssemblies().Select(a => a.Name));
    }

    /// <summary>The assembly references written in a file's metadata, read without loading it.</summary>
    static List<string> ReferencedAssemblies(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        return reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToList();
    }
}
