using Voucher.Workflows.Enterprises;

namespace Voucher.Workflows.Tests.Enterprises;

/// <summary>
/// The payee's bank account: the field rules and the mask (unit), then on Azurite the first entry in force at once, a
/// change pending until the enterprise types the new number again, the audit with masked numbers, who reads it whole,
/// masked or not at all, and the personal-data copy.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BankAccountTests(AzuriteFixture azurite)
{
    const string Registered = "太原测试科技有限公司";

    readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 27, 1, 0, 0, TimeSpan.Zero));

    static VoucherPrincipal Enterprise(string uscc) => new("u:" + uscc, "SME", Role.Enterprise, uscc);

    static BankAccountRequest Account(string number, string name = Registered, string? note = null) => new("中国工商银行太原并州路支行", name, number, note);

    [Theory]
    [InlineData("6222 0202 0011 2233 445", "6222020200112233445")]
    [InlineData("6222-0202-0011", "622202020011")]
    [InlineData("12345678", "12345678")]
    [InlineData("12345678901234567890123456789012", "12345678901234567890123456789012")]
    public void Account_numbers_of_8_to_32_digits_are_kept_as_digits(string typed, string stored)
    {
        var (account, errors) = BankAccounts.Validate(Account(typed), Registered);

        Assert.Empty(errors);
        Assert.Equal(stored, account!.AccountNumber);
    }

    [Theory]
    [InlineData("1234567")]
    [InlineData("123456789012345678901234567890123")]
    [InlineData("6222 0202 001I 2233")]
    [InlineData("")]
    public void Account_numbers_outside_the_rule_are_refused_by_the_field(string typed)
    {
        var (account, errors) = BankAccounts.Validate(Account(typed), Registered);

        Assert.Null(account);
        Assert.Equal("accountNumber", Assert.Single(errors).Field);
    }

    [Fact]
    public void Bank_name_is_required_and_a_holder_other_than_the_registered_name_must_be_explained()
    {
        var (_, missingBank) = BankAccounts.Validate(new BankAccountRequest(" ", Registered, "6222020200112233", null), Registered);
        Assert.Equal("bankName", Assert.Single(missingBank).Field);

        var (_, unexplained) = BankAccounts.Validate(Account("6222020200112233", "张三"), Registered);
        Assert.Equal("nameNote", Assert.Single(unexplained).Field);

        var (explained, none) = BankAccounts.Validate(Account("6222020200112233", "太原测试科技有限公司基本户", "开户时名称含“基本户”字样"), Registered);
        Assert.Empty(none);
        Assert.Equal("开户时名称含“基本户”字样", explained!.NameNote);
    }

    [Theory]
    [InlineData("6222020200112231234", "6222 **** **** 1234")]
    [InlineData("6222 0202 0011 1234", "6222 **** **** 1234")]
    [InlineData("12345678", "**** 5678")]
    [InlineData("123456789012", "**** 9012")]
    [InlineData("", "")]
    public void Masks_hide_all_but_the_first_and_last_four(string number, string masked) => Assert.Equal(masked, BankAccounts.Mask(number));

    [Fact]
    public async Task First_account_in_force_a_change_waits_for_the_re_entered_number_and_both_are_audited_masked()
    {
        var (store, audit, enterprises, e) = await SetUpAsync();
        var me = Enterprise(e.Uscc);

        var first = await enterprises.SaveBankAccountAsync(me, e.Uscc, Account("6222 0202 0011 2231 234"), default);
        Assert.Null(first.Value.Pending);
        Assert.Equal("6222 0202 0011 2231 234", (await enterprises.BankAccountAsync(me, e.Uscc, default)).Value.Account!.AccountNumber);

        var change = await enterprises.SaveBankAccountAsync(me, e.Uscc, Account("6217000011112225678"), default);
        Assert.NotNull(change.Value.Pending);
        var stillOld = (await enterprises.BankAccountAsync(me, e.Uscc, default)).Value.Account!;
        Assert.Equal("6222 0202 0011 2231 234", stillOld.AccountNumber);
        Assert.Equal("6217 **** **** 5678", stillOld.Pending!.MaskedNumber);
        var finance = new VoucherPrincipal("f", "finance", Role.FinanceBureau, "taiyuan");
        Assert.Equal("6222020200112231234", (await enterprises.BankAccountsForFinanceAsync(finance, [e.Uscc], default))[e.Uscc].AccountNumber);

        // A wrong re-entry changes nothing; an agency acting for the enterprise cannot confirm.
        Assert.Equal("accountNumber", Assert.Single(Assert.IsType<Failure.Invalid>((await enterprises.ConfirmBankAccountChangeAsync(me, e.Uscc, new ConfirmBankAccountRequest("6217000011112225679"), default)).Failure).Errors).Field);
        Assert.IsType<Failure.Forbidden>((await enterprises.ConfirmBankAccountChangeAsync(me with { Agency = "agency-one" }, e.Uscc, new ConfirmBankAccountRequest("6217000011112225678"), default)).Failure);
        Assert.Equal("6222020200112231234", (await store.GetAsync<BankAccountEntity>(VoucherStore.Enterprises, e.Uscc, BankAccountEntity.CurrentRow))!.AccountNumber);

        var confirmed = await enterprises.ConfirmBankAccountChangeAsync(me, e.Uscc, new ConfirmBankAccountRequest("6217 0000 1111 2225 678"), default);
        Assert.Equal("6217000011112225678", confirmed.Value.AccountNumber);
        Assert.Null((await enterprises.BankAccountAsync(me, e.Uscc, default)).Value.Account!.Pending);
        Assert.Null(await store.GetAsync<BankAccountEntity>(VoucherStore.Enterprises, e.Uscc, BankAccountEntity.PendingRow));
        Assert.IsType<Failure.Conflict>((await enterprises.ConfirmBankAccountChangeAsync(me, e.Uscc, new ConfirmBankAccountRequest("6217000011112225678"), default)).Failure);

        var entries = await audit.ReadAsync(AuditSubjects.Enterprise(e.Uscc));
        Assert.Equal(3, entries.Count);
        Assert.All(entries, x => Assert.Equal(me.Actor, x.Actor));
        Assert.Contains(entries, x => x.Detail.Contains("申请变更银行账户", StringComparison.Ordinal) && x.Detail.Contains("6222 **** **** 1234 → 中国工商银行太原并州路支行 太原测试科技有限公司 6217 **** **** 5678", StringComparison.Ordinal));
        Assert.Contains(entries, x => x.Detail.StartsWith("确认变更银行账户：", StringComparison.Ordinal) && x.Detail.Contains("6217 **** **** 5678", StringComparison.Ordinal));
        Assert.All(entries, x => Assert.DoesNotContain("6217000011112225678", x.Detail, StringComparison.Ordinal));
        Assert.All(entries, x => Assert.DoesNotContain("6222020200112231234", x.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Whole_for_the_enterprise_and_its_city_finance_masked_for_its_bureau_and_province_missing_for_the_rest()
    {
        var (_, _, enterprises, e) = await SetUpAsync();
        await enterprises.SaveBankAccountAsync(Enterprise(e.Uscc), e.Uscc, Account("6222020200112231234"), default);

        async Task<string?> Seen(VoucherPrincipal who)
        {
            var answer = await enterprises.BankAccountAsync(who, e.Uscc, default);
            return answer.Failure is Failure.NotFound ? null : answer.Value.Account!.AccountNumber;
        }

        Assert.Equal("6222 0202 0011 2231 234", await Seen(Enterprise(e.Uscc)));
        Assert.Equal("6222 0202 0011 2231 234", await Seen(new VoucherPrincipal("f", "finance", Role.FinanceBureau, "taiyuan")));
        Assert.Equal("6222 **** **** 1234", await Seen(new VoucherPrincipal("b", "bureau", Role.CityBureau, "taiyuan")));
        Assert.Equal("6222 **** **** 1234", await Seen(new VoucherPrincipal("p", "prov", Role.Province, null)));
        Assert.Equal("6222 **** **** 1234", await Seen(Enterprise(e.Uscc) with { Agency = "agency-one" }));
        Assert.Null(await Seen(new VoucherPrincipal("f2", "finance", Role.FinanceBureau, "datong")));
        Assert.Null(await Seen(new VoucherPrincipal("b2", "bureau", Role.CityBureau, "datong")));
        Assert.Null(await Seen(Enterprise(TestUscc.New("taiyuan"))));
        Assert.Empty(await enterprises.BankAccountsForFinanceAsync(new VoucherPrincipal("f2", "finance", Role.FinanceBureau, "datong"), [e.Uscc], default));
        Assert.Empty(await enterprises.BankAccountsForFinanceAsync(new VoucherPrincipal("b", "bureau", Role.CityBureau, "taiyuan"), [e.Uscc], default));

        // Another enterprise cannot enter an account for this one, and a refused entry changes nothing.
        Assert.IsType<Failure.NotFound>((await enterprises.SaveBankAccountAsync(Enterprise(TestUscc.New("taiyuan")), e.Uscc, Account("6217000011112225678"), default)).Failure);
        Assert.IsType<Failure.Invalid>((await enterprises.SaveBankAccountAsync(Enterprise(e.Uscc), e.Uscc, Account("12"), default)).Failure);
        Assert.Null((await enterprises.BankAccountAsync(Enterprise(e.Uscc), e.Uscc, default)).Value.Account!.Pending);
    }

    [Fact]
    public async Task The_personal_data_copy_holds_the_account_and_a_pending_change()
    {
        var (store, audit, enterprises, e) = await SetUpAsync();
        await enterprises.SaveBankAccountAsync(Enterprise(e.Uscc), e.Uscc, Account("6222020200112231234"), default);
        await enterprises.SaveBankAccountAsync(Enterprise(e.Uscc), e.Uscc, Account("6217000011112225678"), default);

        var export = new PersonalDataExport(store, audit, time, NullLogger<PersonalDataExport>.Instance);
        using var doc = JsonDocument.Parse((await export.ExportAsync(Enterprise(e.Uscc), default)).Value);

        Assert.Equal(e.Name, doc.RootElement.GetProperty("profile").GetProperty("Name").GetString());
        Assert.Equal("6222020200112231234", doc.RootElement.GetProperty("bankAccount").GetProperty("AccountNumber").GetString());
        Assert.Equal("6217000011112225678", doc.RootElement.GetProperty("bankAccountPendingChange").GetProperty("AccountNumber").GetString());
    }

    async Task<(VoucherStore Store, AuditLog Audit, EnterpriseService Enterprises, EnterpriseEntity Enterprise)> SetUpAsync()
    {
        var store = await StoreFactory.NewAsync(azurite);
        var audit = new AuditLog(store);
        var enterprises = new EnterpriseService(store, new ApplicationStore(store), new VoucherRepository(store), audit, time, NullLogger<EnterpriseService>.Instance);
        var e = A.Enterprise().InCity("taiyuan").Build();
        e.Name = Registered;
        await store.TryAddAsync(VoucherStore.Enterprises, e);
        return (store, audit, enterprises, e);
    }
}
