global using System.Net;
global using System.Text.Json;
global using Voucher.Testing;
global using Xunit;
global using Xunit.Abstractions;
