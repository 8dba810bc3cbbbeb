using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;

namespace Voucher.Workflows.Http;

/// <summary>
/// The API's OpenAPI 3.1 document, written from the route table (<see cref="VoucherRoutes"/>: every route under
/// <c>api/</c> that both hosts serve) and each route's <see cref="ApiContract"/>; the schemas come from the contract
/// types through System.Text.Json's schema exporter with the options the API reads and writes JSON with
/// (<see cref="JsonBody"/>), so the document follows the code. Pages, forms and signed links are not API and are not
/// listed. Served at <c>GET /api/openapi.json</c>.
/// </summary>
public static partial class OpenApiDocumentBuilder
{
    public const string Version = "3.1.1";
    const string AppServiceScheme = "appServiceAuthentication";
    const string DevelopmentScheme = "developmentSignIn";

    static readonly Lazy<string> Cached = new(() => Build(VoucherRoutes.All).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>The document of <see cref="VoucherRoutes.All"/>, built once per process.</summary>
    public static string Json => Cached.Value;

    /// <summary>The routes that are API: under <c>api/</c> and served by both hosts.</summary>
    public static bool IsApi(RouteDef route) => !route.LocalOnly && route.Template.StartsWith("api/", StringComparison.Ordinal);

    /// <summary>The answer of <c>GET /api/openapi.json</c>.</summary>
    public static IResult Serve() => Results.Text(Json, "application/json; charset=utf-8");

    public static JsonObject Build(IEnumerable<RouteDef> routes)
    {
        var schemas = new SchemaSet();
        var paths = new JsonObject();
        foreach (var route in routes.Where(IsApi).OrderBy(r => r.Template, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal))
        {
            var contract = route.Contract ?? throw new InvalidOperationException(
                $"API route {route.Name} ({route.Method} {route.Template}) has no ApiContract: add `with {{ Contract = ApiContract.… }}` beside it in its *Routes.cs.");
            var path = "/" + route.Template;
            if (paths[path] is not JsonObject item)
            {
                item = [];
                paths[path] = item;
            }

            item[route.Method.ToLowerInvariant()] = Operation(route, contract, schemas);
        }

        return new JsonObject
        {
            ["openapi"] = Version,
            ["info"] = new JsonObject
            {
                ["title"] = "山西省科技创新券管理系统 API (Shanxi innovation voucher API)",
                ["version"] = typeof(OpenApiDocumentBuilder).Assembly.GetName().Version?.ToString() ?? "1.0.0",
                ["description"] = "Generated from the route table (VoucherRoutes) and each API route's contract types. Errors are RFC 9457 problem details naming the field and the rule.",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas.Components(),
                ["securitySchemes"] = new JsonObject
                {
                    [AppServiceScheme] = new JsonObject
                    {
                        ["type"] = "apiKey",
                        ["in"] = "header",
                        ["name"] = ClientPrincipal.HeaderName,
                        ["description"] = "Azure: App Service Authentication (Entra ID) signs the caller in and passes the principal in this header; roles come from the principal. The header is trusted only when the platform says authentication is on.",
                    },
                    [DevelopmentScheme] = new JsonObject
                    {
                        ["type"] = "apiKey",
                        ["in"] = "cookie",
                        ["name"] = DevelopmentPrincipalSource.CookieName,
                        ["description"] = "Local host only: the development sign-in (POST /dev/signin with role, scope and name) sets this signed cookie with the same principal shape.",
                    },
                },
            },
        };
    }

    static JsonObject Operation(RouteDef route, ApiContract contract, SchemaSet schemas)
    {
        var operation = new JsonObject
        {
            ["operationId"] = route.Name,
            ["tags"] = new JsonArray(Tag(route)),
            ["x-voucher-access"] = route.Access.Description,
        };

        var parameters = new JsonArray();
        foreach (Match m in PathParameter().Matches(route.Template))
        {
            parameters.Add(new JsonObject { ["name"] = m.Groups[1].Value, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        foreach (var name in contract.Query)
        {
            parameters.Add(new JsonObject { ["name"] = name, ["in"] = "query", ["required"] = false, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        if (contract.ETag)
        {
            parameters.Add(new JsonObject
            {
                ["name"] = "If-None-Match", ["in"] = "header", ["required"] = false,
                ["description"] = "The ETag of an earlier answer: 304 with no body while the status is unchanged",
                ["schema"] = new JsonObject { ["type"] = "string" },
            });
        }

        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }

        if (contract.Request is { } request)
        {
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schemas.Reference(request, JsonBody.Options) } },
            };
        }
        else if (contract.FileUpload)
        {
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject
                {
                    ["multipart/form-data"] = new JsonObject
                    {
                        ["schema"] = new JsonObject
                        {
                            ["type"] = "object",
                            ["required"] = new JsonArray("file"),
                            ["properties"] = new JsonObject { ["file"] = new JsonObject { ["type"] = "string", ["contentMediaType"] = "application/octet-stream" } },
                        },
                    },
                },
            };
        }

        var responses = new JsonObject();
        foreach (var status in contract.AlsoStatus.Prepend(contract.Status).Distinct().Order())
        {
            responses[Code(status)] = Success(status, contract.Response, schemas);
        }

        if (contract.ETag)
        {
            var etag = new JsonObject { ["description"] = "A tag of this answer's body, for If-None-Match", ["schema"] = new JsonObject { ["type"] = "string" } };
            ((JsonObject)responses[Code(contract.Status)]!)["headers"] = new JsonObject { ["ETag"] = etag };
            responses[Code(StatusCodes.Status304NotModified)] = new JsonObject
            {
                ["description"] = "Not modified: If-None-Match named the current ETag; no body",
                ["headers"] = new JsonObject { ["ETag"] = etag.DeepClone() },
            };
        }

        foreach (var status in ProblemStatuses(route, contract))
        {
            var type = status == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
            responses[Code(status)] = new JsonObject
            {
                ["description"] = ProblemDescription(status),
                ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = schemas.Reference(type, JsonBody.Response) } },
            };
        }

        operation["responses"] = responses;
        if (!route.Access.Anonymous)
        {
            operation["security"] = new JsonArray(
                new JsonObject { [AppServiceScheme] = new JsonArray() },
                new JsonObject { [DevelopmentScheme] = new JsonArray() });
        }

        return operation;
    }

    static JsonObject Success(int status, Type response, SchemaSet schemas)
    {
        var description = status switch
        {
            StatusCodes.Status201Created => "Created",
            StatusCodes.Status202Accepted => "Accepted: the workflow goes on; read the status URL",
            _ => "OK",
        };
        if (response == typeof(FileResponse))
        {
            return new JsonObject
            {
                ["description"] = description + ": the stored file in its own content type",
                ["content"] = new JsonObject { ["application/octet-stream"] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "string", ["contentMediaType"] = "application/octet-stream" } } },
            };
        }

        return new JsonObject
        {
            ["description"] = description,
            ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schemas.Reference(response, JsonBody.Response) } },
        };
    }

    /// <summary>The problem answers of a route: the contract's, and those the route itself implies.</summary>
    public static IReadOnlyList<int> ProblemStatuses(RouteDef route, ApiContract contract)
    {
        var statuses = new SortedSet<int>(contract.Problems);
        if (contract.Request is not null)
        {
            statuses.UnionWith([StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType]);
        }

        if (contract.FileUpload)
        {
            statuses.UnionWith([StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge]);
        }

        if (route.Template.Contains('{', StringComparison.Ordinal))
        {
            statuses.Add(StatusCodes.Status404NotFound);
        }

        if (!route.Access.Anonymous)
        {
            statuses.UnionWith([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden]);
        }

        return [.. statuses];
    }

    static string ProblemDescription(int status) => status switch
    {
        400 => "Invalid fields: each named with its rule (errors)",
        401 => "Sign-in required",
        403 => "The caller's role may not call this route",
        404 => "Not found, or not the caller's to see",
        409 => "Conflict with the resource's current state",
        413 => "Request body too large",
        415 => "Content-Type must be application/json",
        422 => "Refused by a business rule (the details say which)",
        429 => "Too many requests from this client",
        _ => "Problem",
    };

    static string Code(int status) => status.ToString(CultureInfo.InvariantCulture);

    static string Tag(RouteDef route)
    {
        var ns = route.HandlerType?.Namespace ?? typeof(VoucherRoutes).Namespace!;
        var parts = ns.Split('.');
        return parts.Length > 2 ? parts[2] : parts[^1];
    }

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)\}")]
    private static partial Regex PathParameter();

    /// <summary>Component schemas by type, named by the type's name (qualified when two types share one).</summary>
    sealed class SchemaSet
    {
        readonly Dictionary<Type, (string Key, JsonNode Schema)> _types = [];

        public JsonNode Reference(Type type, JsonSerializerOptions options)
        {
            if (type == typeof(JsonObjectResponse))
            {
                return new JsonObject { ["type"] = "object", ["description"] = "A JSON object the handler composes (its properties are not a named contract type yet)." };
            }

            if (ElementType(type) is { } element)
            {
                return new JsonObject { ["type"] = "array", ["items"] = Reference(element, options) };
            }

            if (!_types.TryGetValue(type, out var entry))
            {
                var key = Key(type);
                entry = (key, Export(type, options, "#/components/schemas/" + key));
                _types[type] = entry;
            }

            return new JsonObject { ["$ref"] = "#/components/schemas/" + entry.Key };
        }

        public JsonObject Components()
        {
            var components = new JsonObject();
            foreach (var (key, schema) in _types.Values.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                components[key] = schema.DeepClone();
            }

            return components;
        }

        string Key(Type type)
        {
            var name = Clean(type.Name);
            return _types.Values.Any(v => v.Key == name) || _types.Keys.Any(t => t != type && Clean(t.Name) == name)
                ? Clean((type.FullName ?? type.Name).Replace("Voucher.Workflows.", "", StringComparison.Ordinal))
                : name;
        }

        static string Clean(string name) => Regex.Replace(name.Replace('+', '.'), @"[^A-Za-z0-9._-]", "_");

        static Type? ElementType(Type type)
        {
            if (type == typeof(string))
            {
                return null;
            }

            if (type.IsArray)
            {
                return type.GetElementType();
            }

            var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
                ? type
                : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
            return enumerable is not null && !IsDictionary(type) ? enumerable.GetGenericArguments()[0] : null;
        }

        static bool IsDictionary(Type type) =>
            type.GetInterfaces().Append(type).Any(i => i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)));

        static JsonNode Export(Type type, JsonSerializerOptions options, string root)
        {
            var response = !ReferenceEquals(options, JsonBody.Options);
            if (response)
            {
                // Answers are written, never read, with these options: numbers are numbers.
                options = new JsonSerializerOptions(options) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict };
            }

            options.MakeReadOnly(populateMissingResolver: true);
            var schema = options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
            {
                TreatNullObliviousAsNonNullable = true,
                TransformSchemaNode = (context, node) => Money(context.TypeInfo.Type, response) ?? node,
            });
            return Rebase(schema, root, response) ?? new JsonObject();
        }

        /// <summary>Money (<see cref="Cny"/>, its own converter): written as a string of yuan with two decimals; read as that or a number.</summary>
        static JsonNode? Money(Type type, bool response)
        {
            var nullable = Nullable.GetUnderlyingType(type) is not null;
            if ((Nullable.GetUnderlyingType(type) ?? type) != typeof(Cny))
            {
                return null;
            }

            var types = response ? new JsonArray("string") : new JsonArray("string", "number");
            if (nullable)
            {
                types.Add("null");
            }

            return new JsonObject
            {
                ["type"] = types,
                ["description"] = response ? "yuan (CNY) with two decimals, as a string: \"50000.00\"" : "yuan (CNY): a string \"50000.00\" or a number",
            };
        }

        /// <summary>
        /// The exporter's references point into its own root ("#/…"); in the document that root is the component. Its
        /// "true" schema (anything) becomes the empty schema; "required" says what the JSON always holds.
        /// </summary>
        static JsonNode? Rebase(JsonNode? node, string root, bool response)
        {
            if (node is JsonValue t && t.GetValueKind() == JsonValueKind.True)
            {
                return new JsonObject();
            }

            if (node is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = Rebase(array[i]?.DeepClone(), root, response);
                }

                return array;
            }

            if (node is not JsonObject o)
            {
                return node;
            }

            foreach (var (name, value) in o.ToList())
            {
                switch (name)
                {
                    case "$ref" when value is JsonValue v && v.GetValue<string>() is { } target && target.StartsWith('#'):
                        o["$ref"] = root + target[1..];
                        break;
                    case "required" when !response:
                        // A request's fields are checked by the service (400 naming the field), not by the reader.
                        o.Remove(name);
                        break;
                    case "required" when value is JsonArray required && o["properties"] is JsonObject properties:
                        // Answers leave out what is null (JsonBody.Response): only non-null properties are always there.
                        foreach (var item in required.ToList())
                        {
                            if (properties[item!.GetValue<string>()]?["type"] is JsonArray types && types.Any(x => x?.GetValue<string>() == "null"))
                            {
                                required.Remove(item);
                            }
                        }

                        break;
                    case "properties" or "$defs" when value is JsonObject map:
                        foreach (var (property, schema) in map.ToList())
                        {
                            map[property] = Rebase(schema?.DeepClone(), root, response);
                        }

                        break;
                    case "items" or "additionalProperties" or "not":
                        o[name] = Rebase(value?.DeepClone(), root, response);
                        break;
                    case "anyOf" or "oneOf" or "allOf" or "prefixItems":
                        o[name] = Rebase(value?.DeepClone(), root, response);
                        break;
                }
            }

            return o;
        }
    }
}
