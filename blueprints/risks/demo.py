"""Demo: risk profiles of the current school year for the listed schools (the statuses in force,
or the directory's «низкие результаты» flags when no list is approved yet). Every school but
school1 has sent its self-diagnosis (answers the same on every run, seeded by the school's
name); the centre has confirmed half of them, one with a level it changed and comments;
school1's self-diagnosis is left for school1 to fill."""
import random
import zlib

from models import Organization, RiskProfile, User, current_school_year

from . import services, summary

# Answer weights per option (0 points … 3 points): the listed schools lean to the risky side.
WEIGHTS = (2, 4, 3, 2)


def _answers(school, questions):
    rng = random.Random(zlib.crc32(school.short_name.encode()))
    answers = {}
    for question in questions:
        count = len(question.choices)
        answers[question.id] = rng.choices(range(count), weights=WEIGHTS[:count]
                                           + (1,) * max(0, count - len(WEIGHTS)))[0]
    return answers


def load_demo_risks():
    year = current_school_year()
    centre = User.get(User.login == "centre")
    school1 = User.get(User.login == "school1")
    services.open_profiles(year, centre.id)  # the listed schools (directory flags before a list)
    questions = services.questions(year)
    profiles = list(RiskProfile.select(RiskProfile, Organization).join(Organization)
                    .where(RiskProfile.year == year).order_by(Organization.short_name))
    sent = [p for p in profiles if p.school_id != school1.organization_id]
    for profile in sent:
        author = User.get_or_none((User.organization == profile.school_id)
                                  & (User.role == "school"))
        services.submit_diagnosis(profile, _answers(profile.school, questions), 0, "",
                                  author.id if author else None)
    for number, profile in enumerate(sent):
        if number % 2:
            continue  # left for the centre to confirm (its home page lists them)
        rows = summary.profile_rows(profile)
        values = {str(r["code"]): (r["level"], "") for r in rows}
        if number == 0:  # the centre raised one level after a visit and says why
            values["2"] = ("high", "Две вакансии учителей математики с начала года; уроки "
                                   "ведут совместители.")
            values["8"] = ("medium", "По итогам года «2» у 14 % обучающихся 5–9 классов.")
        services.save_levels(RiskProfile.get_by_id(profile.id), values, centre.id, confirm=True)
