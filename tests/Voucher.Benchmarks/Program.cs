namespace Voucher.Benchmarks;

internal static class Program
{
    private static int Main()
    {
        Console.WriteLine("Voucher benchmark: work in progress.");
        return 0;
    }
}
