// The first checks that solve many cases, per category, as an e-wallet support guide gives
// them (file.checks.<category>.<n>). Part of the complainant catalog (complainant.ts).

export const checksEn = {
  'file.checks.payment_failed.1':
    'Check your connection: switch between Wi-Fi and mobile data, then try the payment again.',
  'file.checks.payment_failed.2':
    'Check the card number, expiry date and security code (CVV) saved in the app.',
  'file.checks.payment_failed.3':
    'Ask your card issuer whether the card is active, not blocked and not over its limit.',
  'file.checks.unauthorized_transaction.1': 'Change your password and payment PIN now.',
  'file.checks.unauthorized_transaction.2':
    'Freeze your account in the platform’s app or settings so no more money can leave it.',
  'file.checks.unauthorized_transaction.3':
    'Call your bank now: ask them to block the card and dispute the payment.',
  'file.checks.refund_not_received.1':
    'Check the refund status in the platform’s order or transaction details.',
  'file.checks.refund_not_received.2':
    'Banks take time to pass a refund on: usually 3–10 business days after the platform sends it.',
  'file.checks.refund_not_received.3':
    'Ask the merchant for the refund’s reference number and give it to your bank.',
  'file.checks.refund_amount_mismatch.1':
    'Check whether the refund came in several parts, or had fees or coupons taken off.',
  'file.checks.refund_amount_mismatch.2':
    'Compare the refund with the original order in the transaction details.',
  'file.checks.refund_amount_mismatch.3':
    'Ask the merchant why the amount differs, and keep their answer.',
  'file.checks.incorrect_charge.1':
    'Check whether it is a temporary hold (pre-authorisation) that drops off after a few days.',
  'file.checks.incorrect_charge.2':
    'Look for currency conversion or service fees in the transaction details.',
  'file.checks.incorrect_charge.3': 'Ask the merchant for a receipt with the amount you agreed.',
  'file.checks.balance_discrepancy.1': 'Look for pending payments that have not settled yet.',
  'file.checks.balance_discrepancy.2':
    'Download your statement and compare it with your own records.',
  'file.checks.balance_discrepancy.3':
    'Check for fees, frozen funds or transfers between your own accounts.',
  'file.checks.account_access.1': 'Use “Forgot password” in the app to reset your password.',
  'file.checks.account_access.2':
    'Check that the phone number and email on the account can still receive codes.',
  'file.checks.account_access.3':
    'Update the app, and check the platform’s service status for an outage.',
  'file.checks.account_compromised.1':
    'Change your password and PIN, and sign out every other device.',
  'file.checks.account_compromised.2':
    'Freeze your account at the platform and turn on two-step verification.',
  'file.checks.account_compromised.3': 'Call your bank now to block the cards linked to it.',
  'file.checks.merchant_refused_payment.1':
    'Ask the merchant which payment methods they take and whether there is a limit.',
  'file.checks.merchant_refused_payment.2':
    'Check that your account has enough balance and is not restricted.',
  'file.checks.merchant_refused_payment.3':
    'Try another payment method, and keep a receipt or a photo of the refusal.',
  'file.checks.poor_service.1':
    'Contact the platform’s customer service and ask for a ticket number.',
  'file.checks.poor_service.2': 'Keep screenshots of the chat or the emails.',
  'file.checks.poor_service.3':
    'Give them a reasonable time to answer: often one or two working days.',
  'file.checks.other.1': 'Look for your problem in the platform’s help centre.',
  'file.checks.other.2': 'Contact customer service and keep the ticket number.',
  'file.checks.other.3':
    'Keep screenshots, receipts and emails: you can add them to a complaint as evidence.',
} as const;

export const checksZh: Record<keyof typeof checksEn, string> = {
  'file.checks.payment_failed.1': '检查网络：在 Wi-Fi 和移动数据之间切换后，再试一次付款。',
  'file.checks.payment_failed.2': '核对应用中保存的卡号、有效期和安全码（CVV）。',
  'file.checks.payment_failed.3': '向发卡银行确认这张卡是否正常、未被冻结、未超出额度。',
  'file.checks.unauthorized_transaction.1': '立即修改登录密码和支付密码。',
  'file.checks.unauthorized_transaction.2': '在平台应用或设置中冻结账户，防止资金继续被转走。',
  'file.checks.unauthorized_transaction.3': '立即致电银行：要求冻结银行卡并对这笔交易提出异议。',
  'file.checks.refund_not_received.1': '在平台的订单或交易详情中查看退款进度。',
  'file.checks.refund_not_received.2':
    '银行处理退款需要时间：平台发出退款后通常需要 3–10 个工作日。',
  'file.checks.refund_not_received.3': '向商家索取退款单号，并提供给您的银行查询。',
  'file.checks.refund_amount_mismatch.1': '检查退款是否分多笔到账，或扣除了手续费、优惠券金额。',
  'file.checks.refund_amount_mismatch.2': '在交易详情中将退款与原订单进行核对。',
  'file.checks.refund_amount_mismatch.3': '询问商家金额不符的原因，并保留对方的答复。',
  'file.checks.incorrect_charge.1': '确认这是否是预授权冻结，几天后会自动解除。',
  'file.checks.incorrect_charge.2': '在交易详情中查看是否有货币兑换费或服务费。',
  'file.checks.incorrect_charge.3': '向商家索取写明约定金额的收据。',
  'file.checks.balance_discrepancy.1': '查看是否有尚未结算的待处理交易。',
  'file.checks.balance_discrepancy.2': '下载账单，并与您自己的记录逐笔核对。',
  'file.checks.balance_discrepancy.3': '检查是否有手续费、被冻结的资金或您本人账户之间的转账。',
  'file.checks.account_access.1': '在应用中使用“忘记密码”重置密码。',
  'file.checks.account_access.2': '确认账户绑定的手机号和邮箱仍能收到验证码。',
  'file.checks.account_access.3': '更新应用，并查看平台是否发布了服务故障公告。',
  'file.checks.account_compromised.1': '修改密码和支付密码，并退出所有其他设备上的登录。',
  'file.checks.account_compromised.2': '在平台冻结账户，并开启两步验证。',
  'file.checks.account_compromised.3': '立即致电银行，冻结与账户绑定的银行卡。',
  'file.checks.merchant_refused_payment.1': '询问商家支持哪些付款方式、是否有金额限制。',
  'file.checks.merchant_refused_payment.2': '确认账户余额充足且未被限制使用。',
  'file.checks.merchant_refused_payment.3': '换一种付款方式，并保留收据或拒收时的照片。',
  'file.checks.poor_service.1': '联系平台客服，并索取工单号。',
  'file.checks.poor_service.2': '保留聊天记录或邮件的截图。',
  'file.checks.poor_service.3': '给对方合理的答复时间，通常为一到两个工作日。',
  'file.checks.other.1': '在平台的帮助中心查找您遇到的问题。',
  'file.checks.other.2': '联系客服，并记下工单号。',
  'file.checks.other.3': '保留截图、收据和邮件：提交投诉时可以作为证据上传。',
};
