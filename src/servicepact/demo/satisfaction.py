"""The demonstration's customer satisfaction and knowledge: a satisfaction measure in the contract, about a
third of the resolution surveys answered (lower scores where the resolution clock was breached), a
relationship survey of every past quarter of the history and an open one for this quarter, and a small
knowledge base in English and Chinese with drafts, one in review, and articles opened from the new-ticket
form."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from servicepact.knowledge import actions as knowledge
from servicepact.notify.actions import silenced
from servicepact.slm.models import ClockState
from servicepact.surveys import actions as surveys
from servicepact.surveys.models import AnsweredVia, TicketSurvey

# Added to the contract's measures: the survey's mean score each month.
SATISFACTION_MEASURE = """  - id: customer-satisfaction
    measure: satisfaction_score
    frequency: monthly
    target: ">= 4"
    measured_by: service-reporting
"""
ANSWER_SHARE = 0.35
SCORES_MET = (5, 5, 5, 4, 4, 4, 4, 3, 3, 2)
SCORES_BREACHED = (4, 3, 3, 3, 2, 2, 2, 1, 1, 5)
COMMENTS = {
    5: ("Fixed before I had finished my coffee. Thank you!", "Very clear explanation, and it works again."),
    4: ("Good, though I had to explain the problem twice.", "Solved, thanks. A call would have been quicker."),
    3: ("It works now, but it took a few days.", ""),
    2: ("Nobody told me what was going on for two days.", "The first answer did not fit my question."),
    1: ("Closed without asking me whether it worked. It does not.", ""),
}
COMMENTS_ZH = {
    5: "处理得很快，谢谢！",
    4: "问题解决了，沟通可以更及时。",
    3: "解决了，但花了好几天。",
    2: "两天没人回复。",
    1: "",
}
ARTICLES = [
    (
        "Reset your SAP password",
        "Open https://selfservice.globex.example, choose Reset password, enter your "
        "user ID and follow the link in the mail you receive. The new password works in SAP after five minutes.",
    ),
    (
        "VPN drops every hour",
        "Update the VPN client to version 5.2 from the software centre and restart the "
        "laptop. The hourly drop came from an expired certificate in older clients.",
    ),
    (
        "Printing from SAP goes to the wrong printer",
        "In SAP, open System > User profile > Own data, tab "
        "Defaults, and set the output device to your floor's printer (e.g. BER3).",
    ),
    (
        "MES terminal shows 'station not registered'",
        "Ask the shift lead to re-register the station in the MES "
        "admin console (Stations > Register). Production data is kept; only the terminal link is renewed.",
    ),
    (
        "Request access to the HR portal",
        "Use the service request 'Access to an application', choose HR portal "
        "and your role. Your manager approves; access follows within one working day.",
    ),
]
# The Chinese texts of the password article (0) and the MES article (3).
ARTICLES_ZH = [
    (
        "重置 SAP 密码",
        "打开 https://selfservice.globex.example，选择“重置密码”，输入用户名，然后点击邮件中的链接。新密码五分钟后在 SAP 中生效。",
    ),
    (
        "MES 终端提示“工位未注册”",
        "请班组长在 MES 管理控制台（工位 > 注册）重新注册该工位。生产数据不会丢失，只更新终端连接。",
    ),
]


CHINESE_OF = {0: ARTICLES_ZH[0], 3: ARTICLES_ZH[1]}


def satisfaction_source(text: str) -> str:
    """The contract text with the satisfaction measure added at the end of its measures."""
    return text.replace("\ncredits:\n", "\n" + SATISFACTION_MEASURE.rstrip("\n") + "\n\ncredits:\n", 1)


@dataclass
class SatisfactionResult:
    answered: int = 0
    rounds: int = 0
    articles: int = 0

    @property
    def summary(self) -> str:
        return (
            f"demo: {self.answered} satisfaction surveys answered, {self.rounds} relationship surveys, "
            f"{self.articles} knowledge articles."
        )


def answer_surveys(scenario, end: datetime, *, seed: int) -> SatisfactionResult:
    """Before the history's reports are stored: their satisfaction measure reads these answers."""
    chance = random.Random(seed + 7)
    result = SatisfactionResult()
    breached = set(
        ClockState.objects.filter(
            ticket__contract=scenario.contract, clock="resolution", breached_at__isnull=False
        ).values_list("ticket_id", flat=True)
    )
    with silenced():
        for survey in TicketSurvey.objects.filter(contract=scenario.contract).select_related("requester"):
            if chance.random() > ANSWER_SHARE:
                continue
            at = survey.invited_at + timedelta(minutes=chance.randint(10, 3 * 24 * 60))
            if at >= min(survey.expires_at, end):
                continue
            score = chance.choice(SCORES_BREACHED if survey.ticket_id in breached else SCORES_MET)
            comment = COMMENTS_ZH[score] if survey.requester.language == "zh-hans" else chance.choice(COMMENTS[score])
            via = chance.choice((AnsweredVia.LINK, AnsweredVia.LINK, AnsweredVia.PORTAL))
            surveys.answer_ticket_survey(survey, actor=None, via=via, score=score, comment=comment, at=at)
            result.answered += 1
    return result


def relationship_and_knowledge(scenario, start: datetime, end: datetime, *, seed: int) -> SatisfactionResult:
    chance = random.Random(seed + 11)
    result = SatisfactionResult()
    people = scenario.people
    with silenced():
        quarter = _quarter_start(start)
        while quarter < end:
            following = _quarter_start(quarter + timedelta(days=100))
            # Three weeks before the quarter ends; this quarter's, opened a few days ago, is still open.
            opened = min(following - timedelta(days=21), end - timedelta(days=3))
            if opened > start:
                closes = following if following < end else end + timedelta(days=14)
                survey_round = surveys.open_round(
                    scenario.contract,
                    actor=people["analyst"],
                    title=f"{quarter.year} Q{(quarter.month - 1) // 3 + 1} service review",
                    closes_at=closes,
                    at=opened,
                )
                result.rounds += 1
                answered = opened + timedelta(days=chance.randint(2, 10))
                if answered < min(closes, end):
                    score = chance.choice((3, 4, 4))
                    comment = {
                        3: "Response times slipped when the India team was short-staffed; reporting is excellent.",
                        4: "Steady service. The monthly reports save us a day of reconciliation.",
                    }[score]
                    surveys.answer_round(
                        survey_round, actor=people["customer-manager"], score=score, comment=comment, at=answered
                    )
            quarter = following
        written = end - timedelta(days=60)
        for index, (title, body) in enumerate(ARTICLES):
            article = knowledge.write_article(
                scenario.contract, actor=people["agent"], language="en", title=title, body=body, at=written
            )
            if index in CHINESE_OF:
                zh_title, zh_body = CHINESE_OF[index]
                knowledge.write_article(
                    scenario.contract,
                    actor=people["resolver-cn"],
                    language="zh-hans",
                    title=zh_title,
                    body=zh_body,
                    article=article,
                    at=written + timedelta(hours=2),
                )
            if index < len(ARTICLES) - 1:
                knowledge.submit_for_review(article, actor=people["agent"], at=written + timedelta(days=1))
            if index < len(ARTICLES) - 2:
                article = knowledge.publish(article, actor=people["team-lead"], at=written + timedelta(days=2))
                for _ in range(chance.randint(2, 9)):
                    viewed = written + timedelta(days=chance.randint(3, 55), minutes=chance.randint(0, 600))
                    knowledge.note_suggested_view(article, person=people["requester"], at=viewed)
            result.articles += 1
    return result


def _quarter_start(moment: datetime) -> datetime:
    return moment.replace(month=(moment.month - 1) // 3 * 3 + 1, day=1, hour=0, minute=0, second=0, microsecond=0)
