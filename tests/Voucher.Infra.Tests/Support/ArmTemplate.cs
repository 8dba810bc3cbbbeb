using System.Text.Json;
using System.Text.RegularExpressions;

namespace Voucher.Infra.Tests.Support;

/// <summary>One resource of a compiled ARM template, with the (nested module) template that declares it.</summary>
public sealed partial record ArmResource(JsonElement Element, JsonElement Template, string Module)
{
    public string Type => Element.GetProperty("type").GetString()!;

    public string Name => Element.GetProperty("name").GetString()!;

    public JsonElement Properties => Element.Required("properties");

    /// <summary>Replaces <c>variables('x')</c> with the value of the declaring template's string variable x.</summary>
    public string ResolveVariables(string expression) =>
        VariableReference().Replace(expression, match =>
            Template.TryGetProperty("variables", out var variables)
            && variables.TryGetProperty(match.Groups[1].Value, out var value)
            && value.ValueKind == JsonValueKind.String
                ? $"'{value.GetString()}'"
                : match.Value);

    /// <summary>The default value of a parameter of the declaring template, or null.</summary>
    public JsonElement? ParameterDefault(string parameter) =>
        Template.TryGetProperty("parameters", out var parameters)
        && parameters.TryGetProperty(parameter, out var declaration)
        && declaration.TryGetProperty("defaultValue", out var value)
            ? value
            : null;

    public override string ToString() => $"{Type} {Name} (module {Module})";

    [GeneratedRegex(@"variables\('([A-Za-z0-9_]+)'\)")]
    private static partial Regex VariableReference();
}

/// <summary>infra/main.bicep compiled with the pinned Bicep CLI, its module templates flattened.</summary>
public sealed class ArmTemplate
{
    static readonly Lazy<ArmTemplate> MainTemplate = new(
        () => new ArmTemplate(BicepCli.Build(RepositoryRoot.Combine("infra", "main.bicep"))),
        LazyThreadSafetyMode.ExecutionAndPublication);

    public ArmTemplate(string json)
    {
        Root = JsonDocument.Parse(json).RootElement.Clone();
        var resources = new List<ArmResource>();
        Collect(Root, "main", resources);
        Resources = resources;
    }

    /// <summary>The compiled infra/main.bicep (built once per test run).</summary>
    public static ArmTemplate Main => MainTemplate.Value;

    public JsonElement Root { get; }

    /// <summary>Every declared (not <c>existing</c>) resource, modules included.</summary>
    public IReadOnlyList<ArmResource> Resources { get; }

    public IReadOnlyList<ArmResource> OfType(string type) =>
        Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>The single resource of a type declared in a module (deployment) of the given name.</summary>
    public ArmResource Single(string type, string module, Func<ArmResource, bool>? filter = null)
    {
        var matches = OfType(type).Where(r => r.Module == module && (filter is null || filter(r))).ToList();
        Assert.True(matches.Count == 1,
            $"Expected exactly one {type} in module '{module}', found {matches.Count}: {string.Join("; ", matches)}");
        return matches[0];
    }

    static void Collect(JsonElement template, string module, List<ArmResource> into)
    {
        if (!template.TryGetProperty("resources", out var resources))
        {
            return;
        }

        // Bicep emits an array, or an object keyed by symbolic name (languageVersion 2.0).
        var items = resources.ValueKind == JsonValueKind.Array
            ? resources.EnumerateArray().ToList()
            : resources.EnumerateObject().Select(p => p.Value).ToList();
        foreach (var resource in items)
        {
            if (resource.TryGetProperty("existing", out var existing) && existing.ValueKind == JsonValueKind.True)
            {
                continue;
            }

            var armResource = new ArmResource(resource, template, module);
            into.Add(armResource);
            if (string.Equals(armResource.Type, "Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase)
                && resource.TryGetProperty("properties", out var properties)
                && properties.TryGetProperty("template", out var nested))
            {
                Collect(nested, armResource.Name, into);
            }
        }
    }
}

public static class JsonElementExtensions
{
    /// <summary>Walks a dotted path (<c>a.b.c</c>); a missing segment fails with the path in the message.</summary>
    public static JsonElement Required(this JsonElement element, string path)
    {
        var current = element;
        foreach (var segment in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out var next))
            {
                throw new Xunit.Sdk.XunitException($"'{path}' is missing (stopped at '{segment}') in: {Abbreviate(element)}");
            }

            current = next;
        }

        return current;
    }

    public static string RequiredString(this JsonElement element, string path)
    {
        var value = element.Required(path);
        Assert.True(value.ValueKind == JsonValueKind.String, $"'{path}' should be a string but is {value.ValueKind}: {value}");
        return value.GetString()!;
    }

    public static bool RequiredBool(this JsonElement element, string path)
    {
        var value = element.Required(path);
        Assert.True(value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            $"'{path}' should be a literal true/false but is {value.ValueKind}: {value}");
        return value.GetBoolean();
    }

    static string Abbreviate(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length <= 400 ? text : text[..400] + "...";
    }
}
