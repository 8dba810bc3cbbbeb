global using System.Diagnostics;
global using System.Text;
global using Deque.AxeCore.Playwright;
global using Microsoft.Playwright;
global using Voucher.Testing;
global using Xunit;
global using Xunit.Abstractions;
global using static Microsoft.Playwright.Assertions;
