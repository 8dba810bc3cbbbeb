global using Xunit;
global using Voucher.Testing;
global using Voucher.Testing.Builders;
