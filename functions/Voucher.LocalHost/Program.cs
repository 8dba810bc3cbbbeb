using Voucher.LocalHost.Hosting;

// `-- backup list|export|verify|restore …`: the operator's backup commands (infra/README.md); anything else runs the host.
return args is ["backup", .. var rest]
    ? await BackupCommand.RunAsync(rest, Console.Out)
    : await LocalHostApp.RunAsync(args);
