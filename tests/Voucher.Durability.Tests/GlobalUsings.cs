global using Xunit;
global using Xunit.Abstractions;
global using Voucher.Testing;
global using Voucher.Testing.Builders;
