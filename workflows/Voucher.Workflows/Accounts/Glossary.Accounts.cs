using Voucher.Workflows.Accounts;

namespace Voucher.Workflows.Web;

public static partial class Glossary
{
    public static string Of(MembershipState s) => s switch
    {
        MembershipState.Pending => "待审核",
        MembershipState.Verified => "已认证",
        MembershipState.Rejected => "已驳回",
        MembershipState.Revoked => "已撤销",
        _ => throw Unknown(s),
    };

    public static string Of(InvitationState s) => s switch
    {
        InvitationState.Open => "待接受",
        InvitationState.Accepted => "已接受",
        InvitationState.Withdrawn => "已撤回",
        _ => throw Unknown(s),
    };
}
