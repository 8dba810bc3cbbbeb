using Microsoft.AspNetCore.Http;
using Voucher.Workflows.Http;
using Voucher.Workflows.Tests.Support;

namespace Voucher.Workflows.Tests.Http;

/// <summary>
/// A status GET answered 304 from its record alone: the row's tag is given out only with an answer the row vouches for
/// (its history complete), and a request naming it is answered without reading the rest.
/// </summary>
public sealed class RowTaggedGetTests
{
    sealed record Row(string Version);

    const string RowTag = "\"rrow-v1\"";

    static async Task<(int Status, string? ETag, int Views)> GetAsync(string? ifNoneMatch, bool complete, string? rowTag = RowTag)
    {
        var ctx = TestRequests.Json(null, null, [], method: "GET");
        if (ifNoneMatch is not null)
        {
            ctx.Request.Headers.IfNoneMatch = ifNoneMatch;
        }

        var views = 0;
        var result = await ConditionalGet.RowTaggedAsync(
            ctx,
            "Test",
            () => Task.FromResult<Outcome<Row>>(new Row("v1")),
            _ => Task.FromResult(rowTag),
            row =>
            {
                views++;
                return Task.FromResult(((object)new { status = "UnderReview", row.Version }, complete));
            });
        var http = new DefaultHttpContext { Response = { Body = new MemoryStream() } };
        await result.ExecuteAsync(http);
        return (http.Response.StatusCode, http.Response.Headers.ETag.ToString(), views);
    }

    [Fact]
    public async Task ACompleteAnswer_CarriesTheRowTag_AndThatTagIsAnswered304WithoutTheView()
    {
        var first = await GetAsync(null, complete: true);
        Assert.Equal((200, RowTag, 1), first);

        var again = await GetAsync(RowTag, complete: true);
        Assert.Equal((304, RowTag, 0), again);
    }

    [Fact]
    public async Task AnAnswerTheRowCannotVouchFor_CarriesItsBodyHash_NeverTheRowTag()
    {
        var (status, etag, _) = await GetAsync(null, complete: false);
        Assert.Equal(200, status);
        Assert.NotEqual(RowTag, etag);
        Assert.StartsWith("\"", etag);

        // That body tag is still answered 304 (after a full read) while the body is the same.
        Assert.Equal((304, etag, 1), await GetAsync(etag, complete: false));

        // Once the history is complete, the same request gets the row's tag with a 200.
        Assert.Equal((200, RowTag, 1), await GetAsync(etag, complete: true));
    }

    [Fact]
    public async Task ARowWithoutATag_IsAnsweredAsBefore_ByItsBodyHash()
    {
        var (status, etag, views) = await GetAsync(null, complete: true, rowTag: null);
        Assert.Equal((200, 1), (status, views));
        Assert.Equal((304, etag, 1), await GetAsync(etag, complete: true, rowTag: null));
    }

    [Fact]
    public void PartTags_DifferFromBodyTags_AndChangeWithAnyPart()
    {
        var tag = ConditionalGet.TagOfParts("application", "W/\"etag-1\"", "key", "2026:1", "2026-12-07", "build");
        Assert.StartsWith("\"r", tag);
        Assert.Equal(tag, ConditionalGet.TagOfParts("application", "W/\"etag-1\"", "key", "2026:1", "2026-12-07", "build"));
        Assert.NotEqual(tag, ConditionalGet.TagOfParts("application", "W/\"etag-2\"", "key", "2026:1", "2026-12-07", "build"));
        Assert.NotEqual(tag, ConditionalGet.TagOfParts("application", "W/\"etag-1\"", "key", "2026:1,2027:1", "2026-12-07", "build"));
        Assert.NotEqual(tag, ConditionalGet.TagOfParts("application", "W/\"etag-1\"", "key", "2026:1", "2026-12-08", "build"));
    }
}
