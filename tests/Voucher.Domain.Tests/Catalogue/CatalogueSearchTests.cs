using Voucher.Domain.Catalogue;

namespace Voucher.Domain.Tests;

public class ChineseTokensTests
{
    [Fact]
    public void Index_tokens_hold_han_unigrams_bigrams_and_latin_words()
    {
        var tokens = ChineseTokens.ForIndex("扫描电镜 ICP-MS");
        Assert.Contains("扫描", tokens);
        Assert.Contains("描电", tokens);
        Assert.Contains("电镜", tokens);
        Assert.Contains("镜", tokens);
        Assert.Contains("icp", tokens);
        Assert.Contains("ms", tokens);
        Assert.DoesNotContain("镜 ", tokens);
    }

    [Fact]
    public void Query_of_several_han_characters_uses_bigrams_only_and_a_lone_character_its_unigram()
    {
        Assert.Equal(["电镜"], ChineseTokens.ForQuery("电镜"));
        Assert.Equal(["材料", "料检", "检测"], ChineseTokens.ForQuery("材料检测"));
        Assert.Equal(["煤"], ChineseTokens.ForQuery("煤"));
    }

    [Fact]
    public void Full_width_letters_are_folded_and_lower_cased()
    {
        Assert.Equal(["icp"], ChineseTokens.ForQuery("ＩＣＰ"));
    }
}

public class CatalogueSearchIndexTests
{
    static CatalogueDoc Doc(string id, string title, string category = "testing", string city = "taiyuan", string type = "university",
        long from = 100_000, long to = 0, int days = 7, int used = 0, string description = "", string specs = "", string inst = "inst-a") =>
        new(inst, id, title, description, specs, category, city, type, "机构" + inst, from, to, days, used);

    static CatalogueSearchIndex Index(params CatalogueDoc[] docs)
    {
        var index = new CatalogueSearchIndex();
        index.Load(docs);
        return index;
    }

    [Fact]
    public void Equal_prices_come_in_the_same_order_whatever_order_the_index_was_loaded_in()
    {
        var docs = new[] { Doc("s1", "材料检测", inst: "inst-szfa"), Doc("s1", "材料检测", inst: "inst-czmc"), Doc("s2", "材料检测", inst: "inst-czmc") };
        foreach (var sort in new[] { SearchSort.Price, SearchSort.Turnaround, SearchSort.MostUsed, SearchSort.Relevance })
        {
            var forward = Index(docs).Search(new SearchQuery("检测") { Sort = sort }).Hits.Select(h => h.Doc.Key).ToList();
            var backward = Index([.. docs.Reverse()]).Search(new SearchQuery("检测") { Sort = sort }).Hits.Select(h => h.Doc.Key).ToList();
            Assert.Equal(3, forward.Count);
            Assert.Equal(forward, backward);
        }
    }

    [Fact]
    public void A_chinese_word_inside_a_title_without_spaces_is_found()
    {
        var index = Index(Doc("sem", "扫描电镜材料表征"), Doc("nmr", "核磁共振波谱分析"));
        var result = index.Search(new SearchQuery("电镜"));
        Assert.Equal(["sem"], result.Hits.Select(h => h.Doc.ServiceId));
    }

    [Fact]
    public void Every_bigram_of_the_query_must_be_present()
    {
        var index = Index(Doc("a", "煤质分析"), Doc("b", "煤炭检测与质量分析"));
        Assert.Equal(["a"], index.Search(new SearchQuery("煤质分析")).Hits.Select(h => h.Doc.ServiceId));
    }

    [Fact]
    public void Keywords_in_description_and_specifications_match_but_a_title_hit_ranks_first()
    {
        var index = Index(
            Doc("desc", "材料分析", description: "可做微量元素检测"),
            Doc("title", "微量元素检测"),
            Doc("spec", "成分测试", specs: "依据 GB/T 微量元素测定标准"));
        var hits = index.Search(new SearchQuery("微量元素")).Hits.Select(h => h.Doc.ServiceId).ToList();
        Assert.Equal("title", hits[0]);
        Assert.Equal(3, hits.Count);
    }

    [Fact]
    public void The_phrase_in_the_title_outranks_scattered_characters()
    {
        var index = Index(Doc("scattered", "种质的资源鉴定"), Doc("phrase", "种质资源鉴定"));
        var hits = index.Search(new SearchQuery("种质资源")).Hits;
        Assert.Equal("phrase", hits[0].Doc.ServiceId);
    }

    [Fact]
    public void Rarer_tokens_weigh_more_than_common_ones()
    {
        // "检测" appears everywhere, "光谱" once: the document with the rare token ranks first for "光谱检测".
        var index = Index(Doc("common", "检测服务", description: "光谱 检测"), Doc("rare", "光谱仪器", description: "检测"), Doc("x1", "检测一"), Doc("x2", "检测二"));
        var hits = index.Search(new SearchQuery("光谱 检测")).Hits.Select(h => h.Doc.ServiceId).ToList();
        Assert.Equal(["rare", "common"], hits);
    }

    [Fact]
    public void Filters_narrow_by_category_city_type_price_and_eligibility_and_facets_count_the_result()
    {
        var index = Index(
            Doc("a", "材料检测", city: "taiyuan", from: 50_000),
            Doc("b", "材料检测", city: "datong", from: 500_000),
            Doc("c", "材料检测咨询", category: "consulting", city: "taiyuan", type: "platform", from: 80_000, to: 200_000));
        Assert.Equal(["a", "c"], index.Search(new SearchQuery("材料", CityCode: "taiyuan", Sort: SearchSort.Price)).Hits.Select(h => h.Doc.ServiceId));
        Assert.Equal(["c"], index.Search(new SearchQuery(InstitutionType: "platform")).Hits.Select(h => h.Doc.ServiceId));
        Assert.Equal(["c"], index.Search(new SearchQuery(Category: "consulting")).Hits.Select(h => h.Doc.ServiceId));
        // Price range overlaps: c spans 800–2,000 CNY, so a 1,500–3,000 CNY filter keeps it; a (500 CNY) is out.
        Assert.Equal(["c"], index.Search(new SearchQuery(PriceMinFen: 150_000, PriceMaxFen: 300_000)).Hits.Select(h => h.Doc.ServiceId));
        Assert.Empty(index.Search(new SearchQuery(CityCode: "yuncheng")).Hits);
        var all = index.Search(new SearchQuery("检测"));
        Assert.Equal(2, all.Cities["taiyuan"]);
        Assert.Equal(1, all.Cities["datong"]);
        Assert.Equal(2, all.Categories["testing"]);
        Assert.Equal(3, index.Search(new SearchQuery(VoucherEligible: true)).Total);
    }

    [Fact]
    public void Voucher_eligible_follows_the_categories_the_query_names_without_reindexing()
    {
        var index = Index(Doc("a", "材料检测"), Doc("c", "材料检测咨询", category: "consulting"));
        Assert.Equal(["a", "c"], index.Search(new SearchQuery(VoucherEligible: true)).Hits.Select(h => h.Doc.ServiceId).Order(StringComparer.Ordinal));

        var testingOnly = new SearchQuery(VoucherEligible: true, EligibleCategories: ["testing"]);
        Assert.Equal(["a"], index.Search(testingOnly).Hits.Select(h => h.Doc.ServiceId));
        Assert.Equal(["c"], index.Search(testingOnly with { VoucherEligible = false }).Hits.Select(h => h.Doc.ServiceId));
        var flags = index.Search(new SearchQuery(EligibleCategories: ["consulting"])).Hits.ToDictionary(h => h.Doc.ServiceId, h => h.VoucherEligible);
        Assert.Equal(new Dictionary<string, bool> { ["a"] = false, ["c"] = true }, flags);
        Assert.Empty(index.Search(new SearchQuery(VoucherEligible: true, EligibleCategories: [])).Hits);
    }

    [Fact]
    public void Sorts_by_price_turnaround_and_use()
    {
        var index = Index(Doc("a", "检测甲", from: 300, days: 3, used: 1), Doc("b", "检测乙", from: 100, days: 9, used: 5), Doc("c", "检测丙", from: 200, days: 1, used: 0));
        Assert.Equal(["b", "c", "a"], index.Search(new SearchQuery("检测", Sort: SearchSort.Price)).Hits.Select(h => h.Doc.ServiceId));
        Assert.Equal(["c", "a", "b"], index.Search(new SearchQuery("检测", Sort: SearchSort.Turnaround)).Hits.Select(h => h.Doc.ServiceId));
        Assert.Equal(["b", "a", "c"], index.Search(new SearchQuery("检测", Sort: SearchSort.MostUsed)).Hits.Select(h => h.Doc.ServiceId));
    }

    [Fact]
    public void Pages_cover_the_result_once_in_order()
    {
        var docs = Enumerable.Range(0, 95).Select(i => Doc($"s{i:D3}", "检测服务" + i, from: 1000 + i)).ToArray();
        var index = Index(docs);
        var seen = new List<string>();
        for (var page = 1; page <= 5; page++)
        {
            var r = index.Search(new SearchQuery("检测", Sort: SearchSort.Price, Page: page, PageSize: 20));
            Assert.Equal(95, r.Total);
            seen.AddRange(r.Hits.Select(h => h.Doc.ServiceId));
        }

        Assert.Equal(docs.Select(d => d.ServiceId), seen);
        Assert.Empty(index.Search(new SearchQuery("检测", Page: 6, PageSize: 20)).Hits);
    }

    [Fact]
    public void When_no_service_holds_every_keyword_those_with_half_are_shown_as_relaxed()
    {
        var index = Index(Doc("a", "土壤重金属检测"), Doc("b", "水质分析"));
        var strict = index.Search(new SearchQuery("重金属检测报告"));
        Assert.True(strict.Relaxed);
        Assert.Equal(["a"], strict.Hits.Select(h => h.Doc.ServiceId));
    }

    [Fact]
    public void An_update_replaces_the_old_text_and_a_removal_hides_the_service()
    {
        var index = Index(Doc("a", "扫描电镜"));
        index.Upsert(Doc("a", "透射电镜"));
        Assert.Empty(index.Search(new SearchQuery("扫描")).Hits);
        Assert.Single(index.Search(new SearchQuery("透射")).Hits);
        Assert.Equal(1, index.Count);
        index.Remove("inst-a", "a");
        Assert.Empty(index.Search(new SearchQuery("电镜")).Hits);
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Many_updates_compact_without_losing_documents()
    {
        var index = new CatalogueSearchIndex();
        for (var round = 0; round < 5; round++)
        {
            for (var i = 0; i < 600; i++)
            {
                index.Upsert(Doc($"s{i}", $"检测 第{round}轮"));
            }
        }

        Assert.Equal(600, index.Count);
        Assert.Equal(600, index.Search(new SearchQuery("检测", PageSize: 50)).Total);
        Assert.Equal(600, index.Search(new SearchQuery("第4轮")).Total);
        Assert.Equal(0, index.Search(new SearchQuery("第3轮")).Total);
    }

    [Fact]
    public void Similar_services_share_distinctive_title_words_and_prefer_the_same_category()
    {
        var index = Index(
            Doc("sem", "扫描电镜材料表征"),
            Doc("sem2", "场发射扫描电镜分析", inst: "inst-b"),
            Doc("tem", "透射电镜表征", category: "consulting", inst: "inst-c"),
            Doc("soil", "土壤养分检测"));
        var similar = index.Similar("inst-a", "sem", 3).Select(d => d.ServiceId).ToList();
        Assert.Equal("sem2", similar[0]);
        Assert.Contains("tem", similar);
        Assert.DoesNotContain("sem", similar);
    }
}
