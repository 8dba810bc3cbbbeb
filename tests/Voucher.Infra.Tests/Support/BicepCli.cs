using System.Diagnostics;

namespace Voucher.Infra.Tests.Support;

/// <summary>
/// The Bicep CLI that infra/validate.sh restores from NuGet (Azure.Bicep.CommandLine.linux-x64) into
/// infra/bin/bicep-cli. The tests use the same binary; when it is absent they fail and say how to get it.
/// </summary>
public static class BicepCli
{
    public const string Version = "0.49.2";

    public static string ExecutablePath => RepositoryRoot.Combine(
        "infra", "bin", "bicep-cli", "azure.bicep.commandline.linux-x64", Version, "tools", "bicep");

    /// <summary>Compiles a .bicep file and returns the ARM JSON; fails on a non-zero exit or any warning.</summary>
    public static string Build(string bicepFile) => Run("build", bicepFile);

    /// <summary>
    /// Compiles a .bicepparam file (checking its values against the template's types and allowed lists) and returns
    /// the parameters JSON and the template JSON it uses.
    /// </summary>
    public static (string Parameters, string Template) BuildParams(string bicepParamFile)
    {
        using var output = System.Text.Json.JsonDocument.Parse(Run("build-params", bicepParamFile));
        return (output.RootElement.GetProperty("parametersJson").GetString()!, output.RootElement.GetProperty("templateJson").GetString()!);
    }

    static string Run(string command, string bicepFile)
    {
        var executable = ExecutablePath;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"Bicep CLI {Version} not found at {executable}. Run `bash infra/validate.sh` first: it restores the CLI from NuGet and these tests use the same binary.");
        }

        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(bicepFile);
        start.ArgumentList.Add("--stdout");

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {command} {bicepFile} did not finish within 2 minutes.");
        }

        process.WaitForExit();
        var diagnostics = stderr.Result;
        if (process.ExitCode != 0 || diagnostics.Contains(" : Warning ", StringComparison.Ordinal) || diagnostics.Contains(" : Error ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"bicep {command} {bicepFile} failed (exit code {process.ExitCode}):{Environment.NewLine}{diagnostics}");
        }

        return stdout.Result;
    }
}
