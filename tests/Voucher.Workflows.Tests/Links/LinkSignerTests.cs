using System.Security.Cryptography;

namespace Voucher.Workflows.Tests.Links;

public sealed class LinkSignerTests
{
    static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
    static readonly DateTimeOffset Now = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);

    readonly FakeTimeProvider _time = new(Now);

    static LinkClaims Claims(DateTimeOffset expires) =>
        new("application-91140100MA0TEXT001-2026-01", "review", "city-bureau:taiyuan", 1, expires.ToUnixTimeSeconds());

    LinkSigner Signer(byte[]? key = null) => new(new LinkKey(key ?? Key), _time);

    [Fact]
    public void Verify_TokenItSigned_ValidWithTheSameClaims()
    {
        var claims = Claims(Now.AddDays(10));
        var token = Signer().Sign(claims);

        Assert.Equal(LinkCheck.Valid, Signer().Verify(token, out var read));
        Assert.Equal(claims, read);
        Assert.DoesNotContain('+', token);
        Assert.DoesNotContain('/', token);
        Assert.DoesNotContain('=', token);
    }

    [Fact]
    public void Verify_PayloadAltered_BadSignature()
    {
        var parts = Signer().Sign(Claims(Now.AddDays(10))).Split('.');
        var forged = Base64Url(JsonSerializer.SerializeToUtf8Bytes(Claims(Now.AddDays(10)) with { Round = 2 }));

        Assert.Equal(LinkCheck.BadSignature, Signer().Verify(parts[0] + "." + forged + "." + parts[2], out var claims));
        Assert.Null(claims);
    }

    [Fact]
    public void Verify_SignatureAltered_BadSignature()
    {
        var token = Signer().Sign(Claims(Now.AddDays(10)));
        var last = token[^1] == 'A' ? 'B' : 'A';

        Assert.Equal(LinkCheck.BadSignature, Signer().Verify(token[..^1] + last, out _));
    }

    [Fact]
    public void Verify_SignedWithAnotherKey_BadSignature()
    {
        var other = Enumerable.Range(0, 32).Select(i => (byte)(255 - i)).ToArray();
        var token = Signer(other).Sign(Claims(Now.AddDays(10)));

        Assert.Equal(LinkCheck.BadSignature, Signer().Verify(token, out var claims));
        Assert.Null(claims);
    }

    [Fact]
    public void Verify_AfterTheExpiry_ExpiredButUpToItValid()
    {
        var expires = Now.AddDays(1);
        var token = Signer().Sign(Claims(expires));

        _time.SetUtcNow(expires);
        Assert.Equal(LinkCheck.Valid, Signer().Verify(token, out _));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(LinkCheck.Expired, Signer().Verify(token, out var claims));
        Assert.NotNull(claims);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-dot-at-all")]
    [InlineData(".onlymac")]
    [InlineData("a.b.c")]
    [InlineData("payload.!!!not-base64!!!")]
    [InlineData("a.b")] // base64 of length 1 is impossible
    [InlineData("0badc0de.eyJ9.short")] // a signature is 43 base64url characters
    [InlineData("0BADC0DE.eyJ9.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // a key id is 8 lower-case hex digits
    [InlineData("a.b.c.d")]
    public void Verify_Malformed_Malformed(string? token)
    {
        Assert.Equal(LinkCheck.Malformed, Signer().Verify(token, out var claims));
        Assert.Null(claims);
    }

    [Fact]
    public void Verify_TooLong_Malformed()
    {
        Assert.Equal(LinkCheck.Malformed, Signer().Verify(new string('A', 2049) + ".AAAA", out _));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"i\":\"\",\"a\":\"review\",\"p\":\"x\",\"r\":1,\"e\":1900000000}")]
    [InlineData("null")]
    public void Verify_CorrectlySignedButNotClaims_Malformed(string json)
    {
        // A MAC made with the same construction as the signer: only the payload is wrong.
        var payload = Base64Url(Encoding.UTF8.GetBytes(json));
        var mac = Base64Url(HMACSHA256.HashData(Key, Encoding.ASCII.GetBytes("link|" + payload)));

        Assert.Equal(LinkCheck.Malformed, Signer().Verify(payload + "." + mac, out var claims));
        Assert.Null(claims);
    }

    [Fact]
    public void UseKey_SameInstanceActionAndRound_SameKeyWhateverPartyOrExpiry()
    {
        var claims = Claims(Now.AddDays(10));

        Assert.Equal(claims.UseKey, (claims with { Party = "city-bureau:taiyuan:user-2", ExpiresUnixSeconds = 1 }).UseKey);
        Assert.NotEqual(claims.UseKey, (claims with { Round = 2 }).UseKey);
        Assert.NotEqual(claims.UseKey, (claims with { InstanceId = "application-other" }).UseKey);
        Assert.NotEqual(claims.UseKey, (claims with { Action = "bind" }).UseKey);
    }

    [Fact]
    public void LinkKey_ShorterThan32Bytes_IsRefused()
    {
        Assert.Throws<InvalidOperationException>(() => new LinkKey(new byte[31]));
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
