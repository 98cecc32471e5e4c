"""What kind of message this is: off-topic chit-chat, a follow-up, a yes/no reply, an injection attempt,
and what the user wants to know (amount, eligibility, conditions, procedure, validity, list)."""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

QuestionType = Literal["amount", "eligibility", "conditions", "procedure", "validity", "list", "unknown"]

_INJECTION = re.compile(
    r"(?:忽略|无视|忘记|忘掉|不要管|别管|跳过|绕过|不用遵守|不要遵守|违反)[^。!?\n]{0,10}(?:规则|指令|指示|提示|设定|要求|限制|约束|条款|规定|上面|以上|之前|前面|所有)"
    r"|(?:你现在是|你现在扮演|扮演一个|假装你是|假装成|假设你是|从现在起你|从现在开始你)"
    r"|(?:系统提示词?|提示词|内部指令|system\s*prompt|开发者模式|越狱)"
    r"|(?:直接|必须|一定要|就|只要)?(?:告诉|回答|说|输出|写|承诺|保证)我?(?:说)?(?:我)?(?:能|可以|一定能|肯定能)(?:拿|领|获得|得到|拿到)[^,，。!?]{0,6}\d"
    r"|ignore\s+(?:all\s+)?(?:the\s+)?(?:previous|prior|above|earlier|your)|disregard\s+(?:all|the|previous|prior|your)"
    r"|forget\s+(?:all|everything|your|previous)|you\s+are\s+now|act\s+as\s+|pretend\s+(?:to\s+be|you)|jailbreak|\bDAN\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[。!！?？\n]|\.(?=\s|$)")

_CHITCHAT = re.compile(
    r"天气|下雨|气温|温度|笑话|讲个故事|讲故事|你好|您好|hello|\bhi\b|嗨|在吗|你是谁|你叫什么|谢谢|感谢|再见|拜拜|"
    r"吃饭|吃了吗|股票|彩票|写.{0,2}诗|翻译|几点了|星期几|电影|音乐|游戏|聊聊天|聊天",
    re.IGNORECASE,
)
_DOMAIN = re.compile(
    r"政策|补贴|补助|奖励|奖补|扶持|资金|申请|申报|条件|电商|电子商务|网店|店铺|直播|带货|零售|销售|营业额|快递|物流|跨境|出口|"
    r"园区|基地|企业|公司|个体|门槛|额度|能拿|能领|多少钱|领取|办法|意见|文件|条款|纳统|粉丝|达人|主播|MCN|平台|淘宝|京东|"
    r"抖音|拼多多|海外仓|创业|培训|租|有效期|截止|示范|分拨|配送|合作社|村|镇|流量|奖|补",
    re.IGNORECASE,
)
_FOLLOWUP_START = re.compile(r"^(?:那|那么|那如果|那要是|那假如|如果是|要是|假如|换成|改成|换个|再问一下|还有|另外|那我)")
_FOLLOWUP_END = re.compile(r"呢[?？!！。.]*$")
# 「不好意思说错了，公司在X市」: a correction amends the last question, it does not start a new one
_CORRECTION = re.compile(r"^.{0,8}?(?:说错|搞错|写错|打错|弄错|记错|口误|更正|纠正)")
_YES = re.compile(r"^(?:是的|是啊|是呀|是|对的|对啊|对|没错|嗯嗯|嗯|好的|有的|有|确实|当然|yes|yeah|y|ok)(?=$|[,，。.!！?？\s])", re.IGNORECASE)
# 「是2023年度的」「对，2000万」「就是个体户」: a reply that confirms and carries the value itself. Only read as a
# reply when the last answer asked something (the parser checks); 「是否…」「是不是…」 ask rather than answer.
# 「对于个体户…」「是什么政策」 ask rather than answer.
REPLY_START = re.compile(r"^(?:就是|应该是|是的|对的|是|对|嗯)(?!否|不|什么|哪|多少|谁|于|方|外|象|接|比|照)[,，]?\s?")
_NO = re.compile(r"^(?:不是|不对|并不是|否|没有|没|还没有|还没|尚未|无|不|no|nope|n)(?=$|[,，。.!！?？\s])", re.IGNORECASE)

_QUESTION_TYPES: tuple[tuple[QuestionType, re.Pattern], ...] = (
    ("amount", re.compile(r"多少|几万|几千|金额|额度|奖多少|补多少|能拿几|给多少")),
    ("procedure", re.compile(r"怎么申请|如何申请|怎样申请|怎么申报|如何申报|申报流程|申请流程|材料|找谁|哪个部门|怎么办理|如何办理|去哪|流程")),
    ("conditions", re.compile(r"条件|门槛|要求|需要什么|什么样的|需要满足|达到多少")),
    ("validity", re.compile(r"有效期|过期|截止|还有效|失效|什么时候(?:开始|结束)|到期")),
    ("eligibility", re.compile(r"能不能|能否|可不可以|可以(?:拿|领|享受|申请|获得)|能(?:拿|领|享受|申请|获得|得到)|符合|有(?:没有)?[^,，。]{0,6}(?:补贴|奖励|补助|奖补)|够不够|吗[?？]?$")),
    ("list", re.compile(r"有哪些|有什么(?:政策|补贴|奖励|扶持)|哪些政策|介绍一下|都有啥|有啥")),
)


class IntentResult(BaseModel):
    injection_suspected: bool = False
    blocked: list[tuple[int, int]] = []  # spans whose numbers and facts must be ignored
    is_followup: bool = False
    yes_no: bool | None = None  # a bare 「是的」/「不是」 reply
    chit_chat: bool = False
    domain_signal: bool = False
    question_type: QuestionType = "unknown"


def classify(text: str) -> IntentResult:
    """``text`` is normalised. Injection spans run from the trigger to the end of its sentence."""
    blocked = []
    for m in _INJECTION.finditer(text):
        end = _SENTENCE_END.search(text, m.end())
        span = (m.start(), end.start() if end else len(text))
        if blocked and span[0] <= blocked[-1][1]:
            blocked[-1] = (blocked[-1][0], max(blocked[-1][1], span[1]))  # overlapping triggers: one span
        else:
            blocked.append(span)
    stripped = text.strip()
    yes, no = _YES.match(stripped), _NO.match(stripped)
    yes_no = True if yes else False if no else None
    followup = bool(_FOLLOWUP_START.match(stripped) or _FOLLOWUP_END.search(stripped) or _CORRECTION.match(stripped)
                    or yes_no is not None)
    qtype: QuestionType = "unknown"
    for name, pattern in _QUESTION_TYPES:
        if pattern.search(text):
            qtype = name
            break
    return IntentResult(
        injection_suspected=bool(blocked), blocked=blocked, is_followup=followup, yes_no=yes_no,
        chit_chat=bool(_CHITCHAT.search(text)), domain_signal=bool(_DOMAIN.search(text)), question_type=qtype,
    )
