using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Voucher.Infra.Tests.Support;

/// <summary>A value the template computes only in Azure (reference(), resourceId(), newGuid(), …): its expression text.</summary>
public sealed record ArmUnknown(string Expression)
{
    public override string ToString() => Expression;
}

/// <summary>The template calls fail(): this parameter combination is refused before anything is deployed.</summary>
public sealed class ArmFailure(string message) : Exception(message);

/// <summary>
/// Evaluates the subset of ARM template expressions that decide what a parameter combination deploys: parameters
/// and variables, if/and/or/not/equals, string and object functions, createObject/union. Anything that needs Azure
/// (reference(), resourceId(), uniqueString(), …) evaluates to <see cref="ArmUnknown"/> carrying its own text, and so
/// does every call with such an argument, so a test can still read the unevaluated expression.
/// Values: string, long, bool, null, <see cref="Dictionary{TKey,TValue}"/> (objects), <see cref="List{T}"/> (arrays), ArmUnknown.
/// </summary>
public sealed class ArmScope
{
    readonly JsonElement template;
    readonly IReadOnlyDictionary<string, object?> parameterValues;
    readonly Dictionary<string, object?> variables = new(StringComparer.OrdinalIgnoreCase);
    readonly Dictionary<string, object?> lambdaVariables = new(StringComparer.Ordinal);

    public ArmScope(JsonElement template, IReadOnlyDictionary<string, object?> parameterValues)
    {
        this.template = template;
        this.parameterValues = parameterValues;
    }

    public JsonElement Template => template;

    /// <summary>The value of a parameter: the one given, or the declared default evaluated here, or unknown.</summary>
    public object? Parameter(string name)
    {
        foreach (var (key, value) in parameterValues)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        if (template.TryGetProperty("parameters", out var declared) && TryGet(declared, name, out var declaration)
            && declaration.TryGetProperty("defaultValue", out var defaultValue))
        {
            return Evaluate(defaultValue);
        }

        return new ArmUnknown($"[parameters('{name}')]");
    }

    public object? Variable(string name)
    {
        if (variables.TryGetValue(name, out var cached))
        {
            return cached;
        }

        object? value = new ArmUnknown($"[variables('{name}')]");
        if (template.TryGetProperty("variables", out var declared) && TryGet(declared, name, out var declaration))
        {
            value = Evaluate(declaration);
        }

        variables[name] = value;
        return value;
    }

    /// <summary>Evaluates a JSON value of the template: expressions in strings, objects and arrays recursively.</summary>
    public object? Evaluate(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => EvaluateString(element.GetString()!),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? (object)l : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Array => element.EnumerateArray().Select(Evaluate).ToList(),
        _ => element.EnumerateObject().ToDictionary(p => p.Name, p => Evaluate(p.Value), StringComparer.OrdinalIgnoreCase),
    };

    public object? EvaluateString(string text)
    {
        if (!text.StartsWith('[') || !text.EndsWith(']'))
        {
            return text;
        }

        if (text.StartsWith("[[", StringComparison.Ordinal))
        {
            return text[1..];
        }

        var parser = new Parser(text[1..^1]);
        var node = parser.ParseExpression();
        parser.ExpectEnd();
        return node.Evaluate(this);
    }

    static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    // ---- expression syntax -------------------------------------------------------------------------------------

    abstract record Node(string Text)
    {
        public abstract object? Evaluate(ArmScope scope);

        protected ArmUnknown Unknown() => new($"[{Text}]");
    }

    sealed record Literal(string Text, object? Value) : Node(Text)
    {
        public override object? Evaluate(ArmScope scope) => Value;
    }

    sealed record Access(string Text, Node Target, Node Key) : Node(Text)
    {
        public override object? Evaluate(ArmScope scope)
        {
            var target = Target.Evaluate(scope);
            var key = Key.Evaluate(scope);
            return (target, key) switch
            {
                (Dictionary<string, object?> obj, string name) => obj.TryGetValue(name, out var v) ? v : throw new ArmFailure($"no property '{name}' in {Text}"),
                (List<object?> list, long index) => list[(int)index],
                _ => Unknown(),
            };
        }
    }

    sealed record Call(string Text, string Name, IReadOnlyList<Node> Args) : Node(Text)
    {
        public override object? Evaluate(ArmScope scope)
        {
            switch (Name.ToLowerInvariant())
            {
                case "parameters":
                    return Args[0].Evaluate(scope) is string p && scope.Parameter(p) is var pv && pv is not ArmUnknown ? pv : Unknown();
                case "variables":
                    return Args[0].Evaluate(scope) is string v && scope.Variable(v) is var vv && vv is not ArmUnknown ? vv : Unknown();
                case "if":
                    return Args[0].Evaluate(scope) switch
                    {
                        true => Args[1].Evaluate(scope),
                        false => Args[2].Evaluate(scope),
                        _ => Unknown(),
                    };
                case "and":
                    return ShortCircuit(scope, false);
                case "or":
                    return ShortCircuit(scope, true);
                case "createobject":
                {
                    var result = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                    for (var i = 0; i + 1 < Args.Count; i += 2)
                    {
                        if (Args[i].Evaluate(scope) is not string key)
                        {
                            return Unknown();
                        }

                        result[key] = Args[i + 1].Evaluate(scope);
                    }

                    return result;
                }

                case "createarray":
                    return Args.Select(a => a.Evaluate(scope)).ToList();
                case "fail":
                    throw new ArmFailure(Args[0].Evaluate(scope)?.ToString() ?? "fail()");
                case "lambdavariables":
                    return Args[0].Evaluate(scope) is string lv && scope.lambdaVariables.TryGetValue(lv, out var bound) ? bound : Unknown();
                case "map":
                case "filter":
                {
                    if (Args[0].Evaluate(scope) is not List<object?> items || Args[1] is not Call { Name: "lambda" } lambda
                        || lambda.Args[0].Evaluate(scope) is not string variable)
                    {
                        return Unknown();
                    }

                    var mapped = new List<object?>();
                    var filter = Name.Equals("filter", StringComparison.OrdinalIgnoreCase);
                    foreach (var item in items)
                    {
                        scope.lambdaVariables[variable] = item;
                        var result = lambda.Args[^1].Evaluate(scope);
                        if (filter && result is not bool)
                        {
                            scope.lambdaVariables.Remove(variable);
                            return Unknown();
                        }

                        if (!filter || result is true)
                        {
                            mapped.Add(filter ? item : result);
                        }
                    }

                    scope.lambdaVariables.Remove(variable);
                    return mapped;
                }

                case "coalesce":
                    foreach (var arg in Args)
                    {
                        var value = arg.Evaluate(scope);
                        if (value is ArmUnknown)
                        {
                            return Unknown();
                        }

                        if (value is not null)
                        {
                            return value;
                        }
                    }

                    return null;
            }

            var values = Args.Select(a => a.Evaluate(scope)).ToList();
            if (values.Any(v => v is ArmUnknown))
            {
                return Unknown();
            }

            return Name.ToLowerInvariant() switch
            {
                "true" => true,
                "false" => false,
                "null" => null,
                "equals" => ValueEquals(values[0], values[1]),
                "not" => !(bool)values[0]!,
                "empty" => values[0] switch
                {
                    null => true,
                    string s => s.Length == 0,
                    List<object?> l => l.Count == 0,
                    Dictionary<string, object?> d => d.Count == 0,
                    _ => false,
                },
                "contains" => values[0] switch
                {
                    string s => s.Contains((string)values[1]!, StringComparison.Ordinal),
                    List<object?> l => l.Any(x => ValueEquals(x, values[1])),
                    Dictionary<string, object?> d => d.ContainsKey((string)values[1]!),
                    _ => Unknown(),
                },
                "length" => values[0] switch
                {
                    string s => (long)s.Length,
                    List<object?> l => (long)l.Count,
                    Dictionary<string, object?> d => (long)d.Count,
                    _ => Unknown(),
                },
                "concat" => values.All(v => v is List<object?>)
                    ? values.SelectMany(v => (List<object?>)v!).ToList()
                    : string.Concat(values.Select(Stringify)),
                "union" or "shallowmerge" => Merge(Name.Equals("shallowmerge", StringComparison.OrdinalIgnoreCase) ? (List<object?>)values[0]! : values),
                "flatten" => ((List<object?>)values[0]!).SelectMany(x => (List<object?>)x!).ToList(),
                "string" => values[0] is string s0 ? s0 : Stringify(values[0]),
                "int" => Convert.ToInt64(values[0], CultureInfo.InvariantCulture),
                "bool" => values[0] is string b ? bool.Parse(b) : values[0],
                "tolower" => ((string)values[0]!).ToLowerInvariant(),
                "toupper" => ((string)values[0]!).ToUpperInvariant(),
                "replace" => ((string)values[0]!).Replace((string)values[1]!, (string)values[2]!, StringComparison.Ordinal),
                "take" => values[0] is string ts ? ts[..Math.Min(ts.Length, (int)(long)values[1]!)] : ((List<object?>)values[0]!).Take((int)(long)values[1]!).ToList(),
                "min" => values.Min(v => (long)v!),
                "max" => values.Max(v => (long)v!),
                "greater" => (long)values[0]! > (long)values[1]!,
                "greaterorequals" => (long)values[0]! >= (long)values[1]!,
                "less" => (long)values[0]! < (long)values[1]!,
                "lessorequals" => (long)values[0]! <= (long)values[1]!,
                "format" => Format((string)values[0]!, values.Skip(1).ToList()),
                "join" => string.Join((string)values[1]!, ((List<object?>)values[0]!).Select(Stringify)),
                "split" => ((string)values[0]!).Split((string)values[1]!).Cast<object?>().ToList(),
                _ => Unknown(),
            };
        }

        object? ShortCircuit(ArmScope scope, bool stopAt)
        {
            var unknown = false;
            foreach (var arg in Args)
            {
                switch (arg.Evaluate(scope))
                {
                    case bool b when b == stopAt:
                        return stopAt;
                    case bool:
                        break;
                    default:
                        unknown = true;
                        break;
                }
            }

            return unknown ? Unknown() : !stopAt;
        }

        static object? Merge(IReadOnlyList<object?> values)
        {
            if (values.All(v => v is List<object?>))
            {
                return values.SelectMany(v => (List<object?>)v!).Distinct().ToList();
            }

            var result = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var value in values)
            {
                foreach (var (key, item) in (Dictionary<string, object?>)value!)
                {
                    result[key] = item;
                }
            }

            return result;
        }

        static string Format(string format, IReadOnlyList<object?> args)
        {
            var builder = new StringBuilder();
            for (var i = 0; i < format.Length; i++)
            {
                if (format[i] == '{' && i + 2 < format.Length && char.IsDigit(format[i + 1]))
                {
                    var close = format.IndexOf('}', i);
                    builder.Append(Stringify(args[int.Parse(format[(i + 1)..close], CultureInfo.InvariantCulture)]));
                    i = close;
                }
                else
                {
                    builder.Append(format[i]);
                }
            }

            return builder.ToString();
        }
    }

    static string Stringify(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        _ => JsonSerializer.Serialize(value),
    };

    static bool ValueEquals(object? a, object? b) => (a, b) switch
    {
        (string x, string y) => string.Equals(x, y, StringComparison.OrdinalIgnoreCase),
        _ => Equals(a, b),
    };

    sealed class Parser(string text)
    {
        int position;

        public Node ParseExpression()
        {
            SkipSpace();
            var start = position;
            Node node;
            if (Peek() == '\'')
            {
                node = new Literal(string.Empty, ReadString());
            }
            else if (char.IsDigit(Peek()) || Peek() == '-')
            {
                var numberStart = position;
                position++;
                while (position < text.Length && char.IsDigit(text[position]))
                {
                    position++;
                }

                node = new Literal(string.Empty, long.Parse(text[numberStart..position], CultureInfo.InvariantCulture));
            }
            else
            {
                var name = ReadIdentifier();
                SkipSpace();
                Expect('(');
                var args = new List<Node>();
                SkipSpace();
                if (Peek() != ')')
                {
                    while (true)
                    {
                        args.Add(ParseExpression());
                        SkipSpace();
                        if (Peek() == ',')
                        {
                            position++;
                            continue;
                        }

                        break;
                    }
                }

                Expect(')');
                node = new Call(text[start..position], name, args);
            }

            node = node is Literal lit ? lit with { Text = text[start..position] } : node;
            while (position < text.Length && (Peek() == '.' || Peek() == '['))
            {
                if (Peek() == '.')
                {
                    position++;
                    var property = ReadIdentifier();
                    node = new Access(text[start..position], node, new Literal(property, property));
                }
                else
                {
                    position++;
                    var key = ParseExpression();
                    SkipSpace();
                    Expect(']');
                    node = new Access(text[start..position], node, key);
                }
            }

            return node;
        }

        public void ExpectEnd()
        {
            SkipSpace();
            if (position != text.Length)
            {
                throw new FormatException($"Unexpected '{text[position..]}' in [{text}]");
            }
        }

        char Peek() => position < text.Length ? text[position] : '\0';

        void SkipSpace()
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }
        }

        void Expect(char c)
        {
            if (Peek() != c)
            {
                throw new FormatException($"Expected '{c}' at {position} in [{text}]");
            }

            position++;
        }

        string ReadIdentifier()
        {
            var start = position;
            while (position < text.Length && (char.IsLetterOrDigit(text[position]) || text[position] is '_' or '$'))
            {
                position++;
            }

            if (start == position)
            {
                throw new FormatException($"Expected a name at {position} in [{text}]");
            }

            return text[start..position];
        }

        string ReadString()
        {
            Expect('\'');
            var builder = new StringBuilder();
            while (true)
            {
                if (position >= text.Length)
                {
                    throw new FormatException($"Unterminated string in [{text}]");
                }

                var c = text[position++];
                if (c == '\'')
                {
                    if (Peek() == '\'')
                    {
                        builder.Append('\'');
                        position++;
                        continue;
                    }

                    return builder.ToString();
                }

                builder.Append(c);
            }
        }
    }
}
