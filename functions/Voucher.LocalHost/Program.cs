using Voucher.LocalHost.Hosting;

return await LocalHostApp.RunAsync(args);
