using Voucher.Workflows.Policies;
using Voucher.Workflows.Web;
using static Voucher.Workflows.Web.Html;

namespace Voucher.Workflows.Portal;

/// <summary>
/// The policy guide (§4.1 of the paper): rules, eligible services with examples, steps, documents, FAQ; and an
/// eligibility self-check that answers with the same rules the application workflow applies.
/// </summary>
public sealed class GuidePages(PolicyStore policies, TimeProvider time)
{
    public async Task<IResult> GuideAsync(RequestContext ctx)
    {
        var city = Cities.TryGet(ctx.Request.Query["city"], out var c) ? c : Cities.Get("taiyuan");
        var policy = await policies.GetCurrentAsync(city.Code, ctx.Aborted);
        var cityOptions = string.Concat(Cities.All.Select(x => $"<option value=\"{x.Code}\"{(x.Code == city.Code ? " selected" : "")}>{E(x.NameZh)}</option>"));
        var body = $$"""
            <section class="card"><h2>什么是科技创新券 What a voucher is</h2>
            <p>科技创新券是政府向省内科技型中小微企业发放的有价权益凭证，用于向高校、科研院所、创新平台和基地购买科技创新服务，实行“后补助”：企业先行支付，服务完成后凭材料兑付。</p>
            <form method="get" action="/guide"><label for="city">查看地市政策 City</label><select id="city" name="city">{{cityOptions}}</select><button type="submit" class="secondary">查看 Show</button></form>
            <dl class="facts">
            <dt>面额 Face value</dt><dd>{{E(policy.FaceValue.ToString())}}{{(policy.LargeDenominationEnabled ? $"；另可申请 {E(policy.LargeFaceValue.ToString())} 面额" : "")}}</dd>
            <dt>超出面额部分 Above face value</dt><dd>按 {{policy.ExcessRatio:P0}} 比例补助（例：实付 8 万、面额 5 万、比例 50% → 5 万 + 1.5 万 = 6.5 万）</dd>
            <dt>年度上限 Annual cap</dt><dd>每家企业每年最多 {{E(policy.AnnualCap.ToString())}}</dd>
            <dt>有效期 Validity</dt><dd>{{policy.ValidityMonths}} 个月</dd>
            <dt>审核时限 Review</dt><dd>市科技局在 {{policy.ReviewWorkingDays}} 个工作日内完成资格审核</dd>
            <dt>机构确认 Binding</dt><dd>{{(policy.BindingMode == BindingMode.Seal ? "合同加盖服务机构公章代替系统确认" : $"服务机构在 {policy.BindingWorkingDays} 个工作日内在系统中确认")}}</dd>
            <dt>结算周期 Settlement</dt><dd>{{E(policy.Cadence.ToString())}}；审核通过后公示 {{policy.PublicityWorkingDays}} 个工作日，无异议即拨付</dd>
            <dt>政策版本 Policy version</dt><dd>v{{policy.Version}}（{{E(policy.Reason)}}）</dd>
            </dl></section>
            <section class="card"><h2>可使用的服务 Eligible services</h2><ul>
            <li>科学数据（例：煤质分析数据、气象数据服务）Scientific data</li>
            <li>生物种质资源（例：小杂粮种质鉴定）Germplasm resources</li>
            <li>检验检测（例：ICP-MS 元素分析、电镜表征）Testing &amp; inspection</li>
            <li>科技查新 Novelty search</li>
            <li>技术咨询 Technology consulting</li>
            <li>合作研发 Cooperative R&amp;D</li>
            </ul><p class="muted">不属于上述类别的服务（如日常办公采购、设备购置）不能兑付。Other purchases do not qualify.</p></section>
            <section class="card"><h2>办理步骤与材料 Steps and documents</h2><ol>
            <li>登记企业信息并申请创新券；市科技局 {{policy.ReviewWorkingDays}} 个工作日内审核。</li>
            <li>向服务机构购买服务，签订合同并付款。</li>
            <li>提交兑付申请，上传<strong>成果报告、服务或研发合同、支付凭证</strong>（PDF/PNG/JPEG，单个不超过 20 MB）。</li>
            <li>服务机构确认；进入本市结算批次，市科技局集中审核。</li>
            <li>公示 {{policy.PublicityWorkingDays}} 个工作日，无异议后由财政局拨付。</li>
            </ol></section>
            <section class="card"><h2>办理时限怎么算 How deadlines are counted</h2>
            <p>{{E(WorkingDeadline.RuleZh)}}</p>
            <p>例：周五通知、10 个工作日的审核期限，从次日起算（周六、周日不计），到第 10 个工作日的北京时间 23:59:59 届满；其间的法定假日顺延，调休上班的周末计入。</p>
            </section>
            <section class="card"><h2>常见问题 FAQ</h2>
            <p><strong>审核超期怎么办？</strong>系统在期限前提醒市科技局，超期自动升级至省中心督办，申请不会被自动通过或丢弃。</p>
            <p><strong>服务机构一直不确认？</strong>超过期限后申请显示“机构确认逾期”，市科技局可延长期限，企业也可撤回。</p>
            <p><strong>弄虚作假的后果？</strong>追回已拨付资金，三年内不得申请，情节严重的移送司法机关。</p>
            </section>
            {{GuideMoneyRules.Section(policy)}}
            <section class="card"><h2>资格自测 Eligibility self-check</h2>
            <form method="post" action="/guide/self-check">
            <label for="sc-uscc">统一社会信用代码 USCC</label><input id="sc-uscc" name="uscc" maxlength="18" autocomplete="off">
            <label for="sc-city">注册地市 City</label><select id="sc-city" name="cityCode">{{cityOptions}}</select>
            <label><input type="checkbox" name="techSme" style="width:auto"> 已通过科技型中小企业评价入库 Registered as a tech SME</label>
            <label><input type="checkbox" name="liveVoucher" style="width:auto"> 本年度已有有效创新券 Already holds a live voucher this year</label>
            <label for="sc-bar">如曾被禁止申请，禁止截止日期 Bar ends on (if any)</label><input id="sc-bar" name="barredUntil" type="date">
            <div><button type="submit">自测 Check</button></div></form></section>
            """;
        return Pages.Page("政策指南 Policy guide", body, ctx.Principal);
    }

    public async Task<IResult> SelfCheckAsync(RequestContext ctx)
    {
        if (!ctx.Request.HasFormContentType)
        {
            return Pages.Error(ctx.Principal, "请通过指南页面的自测表单提交 (Submit the self-check form on the guide page)", StatusCodes.Status400BadRequest);
        }

        var form = await JsonBody.FormOrEmptyAsync(ctx.Request, ctx.Aborted);
        var cityCode = Cities.TryGet(form["cityCode"], out var city) ? city.Code : "";
        var uscc = Uscc.TryValidate(form["uscc"], out var normalized, out _) ? normalized : form["uscc"].ToString();
        DateOnly? bar = DateOnly.TryParse(form["barredUntil"], System.Globalization.CultureInfo.InvariantCulture, out var b) ? b : null;
        var facts = new EnterpriseFacts(uscc, cityCode, true, form["techSme"] == "on", bar, form["liveVoucher"] == "on");
        var policy = await policies.GetCurrentAsync(cityCode.Length > 0 ? cityCode : "taiyuan", ctx.Aborted);
        var result = Eligibility.Check(facts, policy, ChinaTime.DateOf(time.GetUtcNow().UtcDateTime));
        var body = result.Eligible
            ? "<section class=\"card\"><p class=\"ok\" role=\"status\">根据您的回答，贵企业符合申请条件，可登记后申请创新券。You qualify: register and apply.</p><p><a href=\"/signin\">登录并申请 Sign in and apply</a></p></section>"
            : "<section class=\"card\"><p class=\"error\" role=\"alert\">根据您的回答，暂不符合申请条件：</p><ul>" + string.Concat(result.Reasons.Select(r => $"<li>{E(r.Message)}</li>")) + "</ul><p><a href=\"/guide\">返回指南 Back to the guide</a></p></section>";
        return Pages.Page("资格自测结果 Self-check result", body, ctx.Principal);
    }
}
