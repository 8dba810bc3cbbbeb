using Voucher.Domain.Catalogue;

namespace Voucher.Workflows.Marketplace;

/// <summary>Search parameters from a query string (API and page alike); a bad value is an error naming the parameter.</summary>
public static class SearchParameters
{
    public static (SearchQuery Query, List<FieldError> Errors) Parse(IQueryCollection q)
    {
        var errors = new List<FieldError>();
        string? Text(string name, int max)
        {
            var v = q[name].ToString().Trim();
            if (v.Length > max)
            {
                errors.Add(new FieldError(name, $"不能超过 {max} 个字符 (At most {max} characters)"));
                return null;
            }

            return v.Length == 0 ? null : v;
        }

        long? Yuan(string name)
        {
            var v = q[name].ToString().Trim();
            if (v.Length == 0)
            {
                return null;
            }

            if (!decimal.TryParse(v, NumberStyles.Number, CultureInfo.InvariantCulture, out var yuan) || yuan < 0 || yuan > Cny.MaxInputYuan || decimal.Round(yuan, 2) != yuan)
            {
                errors.Add(new FieldError(name, "请填写以元为单位的金额，如 5000 (An amount in yuan)"));
                return null;
            }

            return (long)(yuan * 100);
        }

        int Int(string name, int fallback, int min, int max)
        {
            var v = q[name].ToString().Trim();
            if (v.Length == 0)
            {
                return fallback;
            }

            if (!int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            {
                errors.Add(new FieldError(name, $"须为 {min}–{max} 的整数 (A whole number from {min} to {max})"));
                return fallback;
            }

            return n;
        }

        var keywords = Text("q", 100);
        var category = Text("category", 40);
        if (category is not null && !ServiceCategories.TryGet(category, out _))
        {
            errors.Add(new FieldError("category", "未知的服务类别 (Unknown category)"));
        }

        var city = Text("city", 20)?.ToLowerInvariant();
        if (city is not null && !Cities.TryGet(city, out _))
        {
            errors.Add(new FieldError("city", "未知的地市 (Unknown city)"));
        }

        var type = Text("type", 40);
        if (type is not null && !InstitutionTypes.IsKnown(type))
        {
            errors.Add(new FieldError("type", "未知的机构类型 (Unknown institution type)"));
        }

        var min = Yuan("priceMin");
        var max = Yuan("priceMax");
        if (min is not null && max is not null && max < min)
        {
            errors.Add(new FieldError("priceMax", "最高价不能低于最低价 (priceMax below priceMin)"));
        }

        bool? eligible = q["eligible"].ToString() switch
        {
            "" => null,
            "true" or "1" or "on" => true,
            "false" or "0" => false,
            _ => Fail(errors, "eligible", "只能是 true 或 false"),
        };
        var sort = q["sort"].ToString() switch
        {
            "" or "relevance" => SearchSort.Relevance,
            "price" => SearchSort.Price,
            "turnaround" => SearchSort.Turnaround,
            "used" => SearchSort.MostUsed,
            _ => FailSort(errors),
        };
        var page = Int("page", 1, 1, 10_000);
        var size = Int("pageSize", 20, 1, SearchQuery.MaxPageSize);
        return (new SearchQuery(keywords, category, city, type, min, max, eligible, sort, page, size), errors);
    }

    static bool? Fail(List<FieldError> errors, string field, string message)
    {
        errors.Add(new FieldError(field, message));
        return null;
    }

    static SearchSort FailSort(List<FieldError> errors)
    {
        errors.Add(new FieldError("sort", "排序只能是 relevance、price、turnaround 或 used"));
        return SearchSort.Relevance;
    }
}
