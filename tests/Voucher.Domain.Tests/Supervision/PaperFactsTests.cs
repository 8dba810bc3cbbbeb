namespace Voucher.Domain.Tests.Supervision;

public class PaperFactsTests
{
    [Fact]
    public void Parse_ReadsAFactWithItsQuote()
    {
        var facts = PaperFacts.Parse(new StringReader("fact,value,unit,as_of,quote\nenterprises-benefited,889,家,2022-12,受益的中小微企业累计达889家\n"));

        var fact = Assert.Single(facts);
        Assert.Equal(new PaperFact(PaperFacts.EnterprisesBenefited, 889, "家", "2022-12", "受益的中小微企业累计达889家"), fact);
    }

    [Theory]
    [InlineData("fact,value,unit,quote\n")]
    [InlineData("fact,value,unit,as_of,quote\nenterprises-benefited,-889,家,2022-12,x\n")]
    [InlineData("fact,value,unit,as_of,quote\nenterprises-benefited,889,家,2022-13,x\n")]
    [InlineData("fact,value,unit,as_of,quote\nenterprises-benefited,889,家,2022-12,\n")]
    [InlineData("fact,value,unit,as_of,quote\n,889,家,2022-12,x\n")]
    public void Parse_RefusesABadLine(string text) => Assert.Throws<DomainException>(() => PaperFacts.Parse(new StringReader(text)));
}
