namespace Voucher.Domain; public static class Placeholder { }
