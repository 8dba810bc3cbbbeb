using System.Collections.Concurrent;
using System.Text.Json;

namespace Voucher.Infra.Tests.Support;

/// <summary>A resource of one parameter combination: deployed or not (null: decided only in Azure), its values evaluated.</summary>
public sealed record DeployedResource(string Type, string Name, string Module, bool? Deployed, JsonElement Element, ArmScope Scope)
{
    /// <summary>The evaluated value at a dotted path of the resource (<c>properties.siteConfig.ftpsState</c>); throws when absent.</summary>
    public object? Value(string path) =>
        TryValue(path, out var value) ? value : throw new Xunit.Sdk.XunitException($"'{path}' is missing in {this}");

    public bool TryValue(string path, out object? value)
    {
        value = Scope.Evaluate(Element);
        foreach (var segment in path.Split('.'))
        {
            if (value is not Dictionary<string, object?> obj || !obj.TryGetValue(segment, out value))
            {
                value = null;
                return false;
            }
        }

        return true;
    }

    public override string ToString() => $"{Type} {Name} (module {Module})";
}

/// <summary>
/// infra/main.bicep as one parameter combination deploys it: the .bicepparam file under infra/tests/ compiled with
/// the pinned Bicep CLI, every condition evaluated (<see cref="ArmScope"/>), modules followed with the values they
/// are given. CI builds the same files (infra/validate.sh).
/// </summary>
public sealed class ArmDeployment
{
    /// <summary>The combinations CI builds: infra/tests/&lt;name&gt;.bicepparam.</summary>
    public static readonly string[] Combinations = ["default", "vnet", "premium"];

    static readonly ConcurrentDictionary<string, Lazy<ArmDeployment>> Cache = new();

    readonly List<DeployedResource> resources = [];

    ArmDeployment(string name, JsonElement parameters, JsonElement template)
    {
        Name = name;
        var values = parameters.EnumerateObject().ToDictionary(p => p.Name, p => Plain(p.Value.GetProperty("value")), StringComparer.OrdinalIgnoreCase);
        Root = new ArmScope(template, values);
        Collect(Root, "main", true);
    }

    public string Name { get; }

    public ArmScope Root { get; }

    public static ArmDeployment Load(string combination) =>
        Cache.GetOrAdd(combination, c => new Lazy<ArmDeployment>(() =>
        {
            var (parameters, template) = BicepCli.BuildParams(RepositoryRoot.Combine("infra", "tests", $"{c}.bicepparam"));
            using var p = JsonDocument.Parse(parameters);
            using var t = JsonDocument.Parse(template);
            return new ArmDeployment(c, p.RootElement.GetProperty("parameters").Clone(), t.RootElement.Clone());
        }, LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>The value of a parameter of main.bicep in this combination (given or default).</summary>
    public object? Parameter(string name) => Root.Parameter(name);

    public IReadOnlyList<DeployedResource> Resources => resources;

    /// <summary>Resources of a type this combination certainly deploys.</summary>
    public IReadOnlyList<DeployedResource> Deployed(string type) =>
        resources.Where(r => r.Deployed == true && string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>Resources of a type this combination certainly does not deploy.</summary>
    public IReadOnlyList<DeployedResource> NotDeployed(string type) =>
        resources.Where(r => r.Deployed == false && string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();

    public DeployedResource SingleDeployed(string type, string module, Func<DeployedResource, bool>? filter = null)
    {
        var matches = Deployed(type).Where(r => r.Module == module && (filter is null || filter(r))).ToList();
        Assert.True(matches.Count == 1, $"[{Name}] expected one deployed {type} in module '{module}', found {matches.Count}: {string.Join("; ", matches)}");
        return matches[0];
    }

    public override string ToString() => Name;

    static object? Plain(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetInt64(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => element.EnumerateArray().Select(Plain).ToList(),
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => Plain(p.Value), StringComparer.OrdinalIgnoreCase),
        _ => null,
    };

    void Collect(ArmScope scope, string module, bool? parentDeployed)
    {
        if (!scope.Template.TryGetProperty("resources", out var declared))
        {
            return;
        }

        var items = declared.ValueKind == JsonValueKind.Array
            ? declared.EnumerateArray().ToList()
            : declared.EnumerateObject().Select(p => p.Value).ToList();
        foreach (var resource in items)
        {
            if (resource.TryGetProperty("existing", out var existing) && existing.ValueKind == JsonValueKind.True)
            {
                continue;
            }

            bool? deployed = parentDeployed;
            if (deployed != false && resource.TryGetProperty("condition", out var condition))
            {
                deployed = scope.Evaluate(condition) switch
                {
                    true => deployed,
                    false => false,
                    _ => null,
                };
            }

            var type = resource.GetProperty("type").GetString()!;
            var name = resource.GetProperty("name").GetString()!;
            resources.Add(new DeployedResource(type, name, module, deployed, resource, scope));
            if (string.Equals(type, "Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase)
                && resource.TryGetProperty("properties", out var properties)
                && properties.TryGetProperty("template", out var nested))
            {
                var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                if (properties.TryGetProperty("parameters", out var given))
                {
                    foreach (var parameter in given.EnumerateObject())
                    {
                        // { "value": ... }, or one expression that yields such an object.
                        values[parameter.Name] = parameter.Value.ValueKind == JsonValueKind.Object
                            ? parameter.Value.TryGetProperty("value", out var v) ? scope.Evaluate(v) : new ArmUnknown(parameter.Name)
                            : scope.Evaluate(parameter.Value) is Dictionary<string, object?> wrapped && wrapped.TryGetValue("value", out var w)
                                ? w
                                : new ArmUnknown($"[parameters('{parameter.Name}')]");
                    }
                }

                Collect(new ArmScope(nested, values), name, deployed);
            }
        }
    }
}
