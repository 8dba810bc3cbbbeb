using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Voucher.Contract.Tests;

/// <summary>
/// A <c>.http</c> file (the request format VS Code's REST Client, JetBrains and Visual Studio share): <c>@name = value</c>
/// variables, requests separated by <c>###</c>, each a request line, headers, a blank line and a body; <c># @name x</c>
/// names a request whose answer later requests read as <c>{{x.response.body.$.path}}</c> or
/// <c>{{x.response.headers.Name}}</c>; <c>{{$datetime "YYYY-MM-DD"}}</c> is today (UTC). Two comment conventions of
/// this repository: <c># expect 202 200</c> (the statuses allowed) and <c># poll $.path == value</c> (repeat until the
/// answer's JSON says so).
/// </summary>
public sealed partial record HttpFile(string Path, IReadOnlyDictionary<string, string> Variables, IReadOnlyList<HttpFileRequest> Requests)
{
    public static HttpFile Load(string path)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var requests = new List<HttpFileRequest>();
        // Blocks start at "###" lines; the text after "###" is the request's title.
        var blocks = new List<(string? Title, List<string> Lines)> { (null, []) };
        foreach (var raw in File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (raw.StartsWith("###", StringComparison.Ordinal))
            {
                blocks.Add((raw[3..].Trim() is { Length: > 0 } t ? t : null, []));
            }
            else
            {
                blocks[^1].Lines.Add(raw);
            }
        }

        foreach (var ((blockTitle, lines), index) in blocks.Select((b, i) => (b, i)))
        {
            string? name = null, poll = null, title = blockTitle;
            IReadOnlyList<int>? expect = null;
            var i = 0;
            for (; i < lines.Count; i++)
            {
                var line = lines[i].Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                if (VariableLine().Match(line) is { Success: true } v)
                {
                    variables[v.Groups[1].Value] = v.Groups[2].Value.Trim();
                }
                else if (line.StartsWith('#') || line.StartsWith("//", StringComparison.Ordinal))
                {
                    var comment = line.TrimStart('#', '/').Trim();
                    if (comment.StartsWith("@name ", StringComparison.Ordinal))
                    {
                        name = comment[6..].Trim();
                    }
                    else if (comment.StartsWith("expect ", StringComparison.Ordinal))
                    {
                        expect = [.. comment[7..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
                    }
                    else if (comment.StartsWith("poll ", StringComparison.Ordinal))
                    {
                        poll = comment[5..].Trim();
                    }
                    else
                    {
                        title ??= comment;
                    }
                }
                else
                {
                    break;
                }
            }

            if (i >= lines.Count)
            {
                continue;
            }

            var requestLine = RequestLine().Match(lines[i].Trim());
            if (!requestLine.Success)
            {
                throw new FormatException($"{path}, block {index}: '{lines[i]}' is not a request line (METHOD URL).");
            }

            var headers = new List<(string, string)>();
            for (i++; i < lines.Count && lines[i].Trim().Length > 0; i++)
            {
                var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
                headers.Add((lines[i][..colon].Trim(), lines[i][(colon + 1)..].Trim()));
            }

            var body = string.Join('\n', lines.Skip(i + 1)).TrimEnd('\n', ' ');
            requests.Add(new HttpFileRequest(title ?? $"request {requests.Count + 1}", name, requestLine.Groups[1].Value, requestLine.Groups[2].Value, headers, body.Length == 0 ? null : body, expect, poll));
        }

        return new HttpFile(path, variables, requests);
    }

    [GeneratedRegex(@"^@([A-Za-z_][\w]*)\s*=\s*(.*)$")]
    private static partial Regex VariableLine();

    [GeneratedRegex(@"^(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)\s+(\S+)(?:\s+HTTP/[\d.]+)?$")]
    private static partial Regex RequestLine();
}

/// <summary>One request of a <see cref="HttpFile"/>, its variables not yet replaced.</summary>
public sealed record HttpFileRequest(string Title, string? Name, string Method, string Url, IReadOnlyList<(string Name, string Value)> Headers, string? Body, IReadOnlyList<int>? Expect, string? Poll);

/// <summary>What a request of a <see cref="HttpFile"/> answered.</summary>
public sealed record HttpFileAnswer(HttpFileRequest Request, string Method, Uri Url, int Status, string Body, IReadOnlyDictionary<string, string> Headers, TimeSpan Took);

/// <summary>
/// Runs a <see cref="HttpFile"/> from the top as one client (its cookies kept, redirects not followed): variables and
/// earlier answers replaced, each status checked against its <c># expect</c> (else 2xx), <c># poll</c> repeated.
/// </summary>
public sealed partial class HttpFileRunner(HttpFile file, IReadOnlyDictionary<string, string> overrides, TimeSpan pollLimit)
{
    readonly Dictionary<string, HttpFileAnswer> _named = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<HttpFileAnswer>> RunAsync(Action<string> log)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        var answers = new List<HttpFileAnswer>();
        foreach (var request in file.Requests)
        {
            var answer = await SendAsync(http, request);
            var started = DateTime.UtcNow;
            while (request.Poll is not null && !PollSatisfied(request.Poll, answer))
            {
                if (DateTime.UtcNow - started > pollLimit)
                {
                    throw new InvalidOperationException($"{Where(request)}: '{request.Poll}' still not true after {pollLimit.TotalSeconds:0} s; last answer {answer.Status}: {Trim(answer.Body)}");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500));
                answer = await SendAsync(http, request);
            }

            var allowed = request.Expect;
            var ok = allowed is null ? answer.Status is >= 200 and < 300 : allowed.Contains(answer.Status);
            log($"{answer.Status} {answer.Method} {answer.Url.PathAndQuery} ({answer.Took.TotalMilliseconds:0} ms) — {request.Title}");
            if (!ok)
            {
                throw new InvalidOperationException(
                    $"{Where(request)}: {answer.Method} {answer.Url.PathAndQuery} answered {answer.Status}, the file expects {(allowed is null ? "2xx" : string.Join(" or ", allowed))}: {Trim(answer.Body)}");
            }

            if (request.Name is not null)
            {
                _named[request.Name] = answer;
            }

            answers.Add(answer);
        }

        return answers;
    }

    string Where(HttpFileRequest request) => $"{System.IO.Path.GetFileName(file.Path)} «{request.Title}»";

    async Task<HttpFileAnswer> SendAsync(HttpClient http, HttpFileRequest request)
    {
        var url = new Uri(Replace(request.Url));
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), url);
        string? contentType = null;
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = Replace(value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, Replace(value));
            }
        }

        if (request.Body is not null)
        {
            var body = Replace(request.Body);
            if (contentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true)
            {
                body = body.Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n"; // multipart lines end in CRLF
            }

            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        var headers = response.Headers.Concat(response.Content.Headers)
            .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);
        return new HttpFileAnswer(request, request.Method, url, (int)response.StatusCode, text, headers, watch.Elapsed);
    }

    bool PollSatisfied(string poll, HttpFileAnswer answer)
    {
        var m = PollRule().Match(poll);
        if (!m.Success)
        {
            throw new FormatException($"'# poll {poll}': write '# poll $.path == value'.");
        }

        return answer.Status is >= 200 and < 300 && Select(answer.Body, m.Groups[1].Value) == Replace(m.Groups[2].Value.Trim());
    }

    /// <summary>Replaces <c>{{…}}</c>: overrides, then the file's variables (which may refer to others), answers, <c>$datetime</c>.</summary>
    public string Replace(string text)
    {
        for (var depth = 0; depth < 5 && text.Contains("{{", StringComparison.Ordinal); depth++)
        {
            text = Reference().Replace(text, m => Value(m.Groups[1].Value.Trim()));
        }

        return text;
    }

    string Value(string reference)
    {
        if (overrides.TryGetValue(reference, out var overridden))
        {
            return overridden;
        }

        if (file.Variables.TryGetValue(reference, out var variable))
        {
            return variable;
        }

        if (reference.StartsWith("$datetime", StringComparison.Ordinal))
        {
            var format = reference[9..].Trim().Trim('"');
            return format == "YYYY-MM-DD" ? DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : throw new FormatException($"{{{{{reference}}}}}: only \"YYYY-MM-DD\" is supported.");
        }

        var m = AnswerReference().Match(reference);
        if (!m.Success)
        {
            throw new FormatException($"{{{{{reference}}}}}: no such variable in {file.Path}.");
        }

        if (!_named.TryGetValue(m.Groups[1].Value, out var answer))
        {
            throw new InvalidOperationException($"{{{{{reference}}}}}: no earlier request is named '{m.Groups[1].Value}'.");
        }

        return m.Groups[2].Value == "headers"
            ? answer.Headers.TryGetValue(m.Groups[3].Value, out var header) ? header : throw new InvalidOperationException($"{{{{{reference}}}}}: no such header.")
            : Select(answer.Body, m.Groups[3].Value) ?? throw new InvalidOperationException($"{{{{{reference}}}}}: nothing at that path in {Trim(answer.Body)}");
    }

    /// <summary>A JSONPath of dots and indexes (<c>$.a.b[0].c</c>, <c>$[0].id</c>): the value as text (strings unquoted), or null.</summary>
    public static string? Select(string json, string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }

        foreach (Match step in PathStep().Matches(path.TrimStart('$')))
        {
            node = step.Groups[1].Success ? (node as JsonObject)?[step.Groups[1].Value]
                : node is JsonArray a && int.Parse(step.Groups[2].Value, CultureInfo.InvariantCulture) is var i && i < a.Count ? a[i] : null;
        }

        return node switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True ? "true" : "false",
            _ => node.ToJsonString(),
        };
    }

    static string Trim(string body) => body.Length <= 600 ? body : body[..600] + "…";

    [GeneratedRegex(@"\{\{(.+?)\}\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^(\w+)\.response\.(body|headers)\.(.+)$")]
    private static partial Regex AnswerReference();

    [GeneratedRegex(@"^(\$[^\s=]*)\s*==\s*(.+)$")]
    private static partial Regex PollRule();

    [GeneratedRegex(@"\.([A-Za-z_][\w-]*)|\[(\d+)\]")]
    private static partial Regex PathStep();
}
