"""The published breach examples, each reaching the decision the guidance reaches.

EDPB Guidelines 01/2021 on Examples regarding Personal Data Breach Notification (v2.0),
Cases 01-18; WP250 rev.01 Annex B examples (kept by EDPB Guidelines 9/2022); the ICO's
guidance on personal data breaches. Each test names its case; the facts are the case as
a DPO would record it in breachdesk.
"""

from __future__ import annotations

from typing import Any

from breachdesk.domain.assessment import Decision
from breachdesk.domain.assessment import assess
from breachdesk.domain.assessment import parse_facts


def decide(**facts: Any) -> Decision:
    """Assess facts given as the spec's JSON fields."""
    return assess(parse_facts(facts))


def outcome(decision: Decision) -> tuple[str, bool, bool]:
    """(risk, tell the ICO, tell the people), as the guidance tables put it."""
    return str(decision.risk), decision.notify_ico, decision.notify_subjects


# --- Ransomware ------------------------------------------------------------------------


def test_ransomware_on_encrypted_data_with_backup_and_no_exfiltration_is_only_recorded():
    # EDPB 01/2021 Case 01: data encrypted at rest, logs rule out exfiltration, restored in
    # hours from backup. SA no, DS no.
    decision = decide(
        breach_types=["availability", "confidentiality"],
        cause="malicious",
        data_categories=["basic_identity", "professional"],
        subjects_count=40,
        protection="encrypted",
        exfiltration="ruled_out",
        recipient="none",
        availability={"backup_available": True, "outage_hours": 4, "permanent_loss": False},
    )
    assert outcome(decision) == ("unlikely", False, False)


def test_ransomware_without_a_backup_is_reported_but_people_are_not_told():
    # EDPB 01/2021 Case 02: no backup, data re-entered from paper over five working days,
    # no exfiltration, minor delays to customers' orders. SA yes, DS no.
    decision = decide(
        breach_types=["availability", "confidentiality"],
        cause="malicious",
        data_categories=["basic_identity", "professional", "other"],
        subjects_count=60,
        protection="encrypted",
        exfiltration="ruled_out",
        recipient="none",
        availability={"backup_available": False, "outage_hours": 120, "permanent_loss": False},
    )
    assert outcome(decision) == ("risk", True, False)


def test_ransomware_without_backup_where_customers_feel_the_delay_is_still_not_high():
    # EDPB 01/2021 Case 02, read with the customers' order delays recorded as felt.
    decision = decide(
        breach_types=["availability"],
        cause="malicious",
        data_categories=["basic_identity", "other"],
        subjects_count=60,
        exfiltration="ruled_out",
        recipient="none",
        availability={"backup_available": False, "outage_hours": 120, "people_affected": True},
    )
    assert outcome(decision) == ("risk", True, False)


def test_hospital_ransomware_delaying_treatment_is_high_risk_even_with_a_backup():
    # EDPB 01/2021 Case 03: hospital, backup restores in two days, operations cancelled and
    # postponed, no exfiltration. SA yes, DS yes.
    decision = decide(
        breach_types=["availability", "confidentiality"],
        cause="malicious",
        data_categories=["basic_identity", "health"],
        subjects_count=1500,
        vulnerable_subjects=True,
        exfiltration="ruled_out",
        recipient="unknown",
        availability={"backup_available": True, "outage_hours": 48, "people_affected": True},
    )
    assert outcome(decision) == ("high", True, True)
    assert decision.subject_channel == "direct"


def test_ransomware_with_exfiltration_and_no_backup_is_high_risk():
    # EDPB 01/2021 Case 04: public transport company, server encrypted and data exfiltrated,
    # identity documents and financial data of thousands, no backup. SA yes, DS yes.
    decision = decide(
        breach_types=["availability", "confidentiality"],
        cause="malicious",
        data_categories=["basic_identity", "government_id", "financial"],
        subjects_count=3000,
        exfiltration="confirmed",
        recipient="malicious",
        availability={"backup_available": False, "permanent_loss": True},
    )
    assert outcome(decision) == ("high", True, True)


def test_encrypted_patient_records_unavailable_for_days_still_mean_telling_patients():
    # EDPB 01/2021 Case 03 read with WP250 III.C: encryption keeps the data secret but
    # cannot excuse telling patients whose care the outage delays (Art. 34(3)(a) no help).
    decision = decide(
        breach_types=["availability"],
        cause="malicious",
        data_categories=["health"],
        subjects_count=800,
        vulnerable_subjects=True,
        protection="encrypted",
        availability={"backup_available": True, "outage_hours": 50, "people_affected": True},
    )
    assert outcome(decision) == ("high", True, True)


# --- Data exfiltration attacks -----------------------------------------------------------


def test_job_applications_skimmed_from_a_website_are_high_risk():
    # EDPB 01/2021 Case 05: malicious code on a recruitment form copied 213 applications
    # (identity, contact, date of birth, education, career). SA yes, DS yes.
    decision = decide(
        breach_types=["confidentiality"],
        cause="malicious",
        data_categories=["basic_identity", "date_of_birth", "professional", "other"],
        subjects_count=213,
        exfiltration="confirmed",
        recipient="malicious",
    )
    assert outcome(decision) == ("high", True, True)


def test_strongly_hashed_passwords_stolen_from_a_website_are_only_recorded():
    # EDPB 01/2021 Case 06: 1,200 usernames with salted state-of-the-art hashes. SA no, DS no.
    decision = decide(
        breach_types=["confidentiality"],
        cause="malicious",
        data_categories=["credentials"],
        subjects_count=1200,
        protection="hashed",
        exfiltration="confirmed",
        recipient="malicious",
    )
    assert outcome(decision) == ("unlikely", False, False)


def test_credential_stuffing_into_bank_accounts_is_high_risk():
    # EDPB 01/2021 Case 07: attackers logged into customers' bank accounts with credentials
    # leaked elsewhere, seeing balances and personal details. SA yes, DS yes.
    decision = decide(
        breach_types=["confidentiality"],
        cause="malicious",
        data_categories=["basic_identity", "financial", "credentials"],
        subjects_count=2000,
        exfiltration="confirmed",
        recipient="malicious",
        misuse_observed=True,
    )
    assert outcome(decision) == ("high", True, True)


# --- Internal human risk sources ---------------------------------------------------------


def test_former_employee_taking_the_customer_list_is_reported_without_telling_customers():
    # EDPB 01/2021 Case 08: a leaving employee copied customer contact details and purchase
    # history to use at a competitor. SA yes, DS no.
    decision = decide(
        breach_types=["confidentiality"],
        cause="malicious",
        data_categories=["basic_identity", "other"],
        subjects_count=5000,
        exfiltration="confirmed",
        recipient="known_untrusted",
    )
    assert outcome(decision) == ("risk", True, False)


def test_file_sent_to_a_trusted_professional_who_deleted_it_is_only_recorded():
    # EDPB 01/2021 Case 09: an insurance agent bound by professional secrecy received other
    # customers' data, reported it and confirmed deletion. SA no, DS no.
    decision = decide(
        breach_types=["confidentiality"],
        cause="accidental",
        data_categories=["basic_identity", "financial"],
        subjects_count=24,
        recipient="trusted",
        data_recovered=True,
    )
    assert outcome(decision) == ("unlikely", False, False)


# --- Lost or stolen devices and paper ----------------------------------------------------


def test_stolen_encrypted_tablets_with_a_backup_are_only_recorded():
    # EDPB 01/2021 Case 10: a day-care centre's tablets, state-of-the-art encryption, data
    # backed up and wiped remotely. SA no, DS no.
    decision = decide(
        breach_types=["confidentiality", "availability"],
        cause="malicious",
        data_categories=["basic_identity", "health"],
        subjects_count=90,
        vulnerable_subjects=True,
        protection="encrypted",
        recipient="malicious",
        availability={"backup_available": True, "outage_hours": 2},
    )
    assert outcome(decision) == ("unlikely", False, False)


def test_stolen_unencrypted_laptop_with_a_hundred_thousand_customers_is_high_risk():
    # EDPB 01/2021 Case 11: names, addresses and dates of birth of over 100,000 people.
    decision = decide(
        breach_types=["confidentiality"],
        cause="malicious",
        data_categories=["basic_identity", "date_of_birth"],
        subjects_count=100_001,
        recipient="malicious",
    )
    assert outcome(decision) == ("high", True, True)


def test_stolen_logbook_of_a_rehabilitation_centre_is_high_risk():
    # EDPB 01/2021 Case 12: paper logbook with identity and health data of patients of a
    # drug rehabilitation centre stolen in a break-in. SA yes, DS yes.
    decision = decide(
        breach_types=["confidentiality", "availability"],
        cause="malicious",
        data_categories=["basic_identity", "health"],
        subjects_count=50,
        vulnerable_subjects=True,
        recipient="malicious",
        availability={"backup_available": False, "permanent_loss": True},
    )
    assert outcome(decision) == ("high", True, True)


# --- Mispostal ------------------------------------------------------------------------------


def test_two_webshop_orders_swapped_between_customers_are_only_recorded():
    # EDPB 01/2021 Case 13: each customer received the other's parcel and packing bill
    # (name, address, items, price). SA no, DS no.
    decision = decide(
        breach_types=["confidentiality"],
        cause="accidental",
        data_categories=["basic_identity", "other"],
        subjects_count=2,
        recipient="known_untrusted",
    )
    assert outcome(decision) == ("unlikely", False, False)


def test_job_seekers_national_insurance_numbers_emailed_to_all_of_them_is_high_risk():
    # EDPB 01/2021 Case 14: an employment service attached a file with names, addresses and
    # social security numbers of over 60,000 job seekers to an email to all of them.
    decision = decide(
        breach_types=["confidentiality"],
        cause="accidental",
        data_categories=["basic_identity", "government_id"],
        subjects_count=60_000,
        recipient="known_untrusted",
    )
    assert outcome(decision) == ("high", True, True)


def test_course_list_with_two_food_intolerances_sent_to_past_participants_is_reported():
    # EDPB 01/2021 Case 15: names, email addresses and food preferences (two lactose
    # intolerances: health data) of 15 participants sent to 15 former participants, who
    # were asked to delete it. SA yes, DS no.
    decision = decide(
        breach_types=["confidentiality"],
        cause="accidental",
        data_categories=["basic_identity", "health"],
        subjects_count=15,
        recipient="known_untrusted",
    )
    assert outcome(decision) == ("risk", True, False)


def test_car_insurance_letter_in_the_wrong_envelope_is_reported_only_to_the_regulator():
    # EDPB 01/2021 Case 16: one policyholder's name, address, date of birth, registration and
    # premium sent to another policyholder. SA yes, DS no.
    decision = decide(
        breach_types=["confidentiality"],
        cause="accidental",
        data_categories=["basic_identity", "date_of_birth", "other"],
        subjects_count=1,
        recipient="known_untrusted",
    )
    assert outcome(decision) == ("risk", True, False)


# --- Social engineering --------------------------------------------------------------------


def test_impersonator_redirecting_a_customers_bills_is_high_risk_for_that_customer():
    # EDPB 01/2021 Case 17: a caller posing as a customer had the billing email changed and
    # received invoices with call records. SA yes, DS yes.
    decision = decide(
        breach_types=["confidentiality", "integrity"],
        cause="malicious",
        data_categories=["basic_identity", "financial", "other"],
        subjects_count=1,
        recipient="malicious",
        misuse_observed=True,
    )
    assert outcome(decision) == ("high", True, True)


def test_mailbox_taken_over_with_invoices_and_bank_details_is_high_risk():
    # EDPB 01/2021 Case 18: an attacker read and forwarded an employee's mailbox for months,
    # with customers' invoices and bank details. SA yes, DS yes.
    decision = decide(
        breach_types=["confidentiality"],
        cause="malicious",
        data_categories=["basic_identity", "financial", "communications"],
        subjects_count=400,
        exfiltration="confirmed",
        recipient="malicious",
    )
    assert outcome(decision) == ("high", True, True)


# --- WP250 rev.01 Annex B ------------------------------------------------------------------


def test_stolen_encrypted_backup_usb_key_is_only_recorded():
    # WP250 Annex B i: encrypted backup on a USB key stolen; key safe; data restorable.
    decision = decide(
        breach_types=["confidentiality", "availability"],
        cause="malicious",
        data_categories=["basic_identity", "financial"],
        subjects_count=2000,
        protection="encrypted",
        recipient="malicious",
        availability={"backup_available": True, "outage_hours": 0},
    )
    assert outcome(decision) == ("unlikely", False, False)


def test_customer_data_exfiltrated_from_an_online_service_is_reported():
    # WP250 Annex B ii: a cyber attack exfiltrates customer data. SA yes; DS by the data.
    decision = decide(
        breach_types=["confidentiality"],
        cause="malicious",
        data_categories=["basic_identity"],
        subjects_count=5000,
        exfiltration="confirmed",
        recipient="malicious",
    )
    assert outcome(decision) == ("risk", True, False)


def test_call_centre_power_cut_of_minutes_is_only_recorded():
    # WP250 Annex B iii: a brief power outage, customers cannot reach their records.
    decision = decide(
        breach_types=["availability"],
        cause="accidental",
        data_categories=["basic_identity", "other"],
        subjects_count=20_000,
        availability={"backup_available": True, "outage_hours": 0.2, "people_affected": False},
    )
    assert outcome(decision) == ("unlikely", False, False)


def test_ransomware_destroying_all_data_without_backup_is_reported():
    # WP250 Annex B iv: all data encrypted, no backup, no other malware: permanent loss.
    decision = decide(
        breach_types=["availability"],
        cause="malicious",
        data_categories=["basic_identity", "other"],
        subjects_count=300,
        exfiltration="ruled_out",
        recipient="none",
        availability={"backup_available": False, "permanent_loss": True},
    )
    assert outcome(decision) == ("risk", True, False)


def test_bank_statement_posted_to_another_customer_is_reported():
    # WP250 Annex B v: a customer received someone else's monthly statement. SA yes; DS
    # only if high risk.
    decision = decide(
        breach_types=["confidentiality"],
        cause="accidental",
        data_categories=["basic_identity", "financial"],
        subjects_count=1,
        recipient="known_untrusted",
    )
    assert outcome(decision) == ("risk", True, False)


def test_marketplace_usernames_and_passwords_published_online_is_high_risk():
    # WP250 Annex B vi: usernames, passwords and purchase history published by an attacker.
    decision = decide(
        breach_types=["confidentiality"],
        cause="malicious",
        data_categories=["basic_identity", "credentials", "other"],
        subjects_count=50_000,
        exfiltration="confirmed",
        recipient="public",
    )
    assert outcome(decision) == ("high", True, True)


def test_hosting_processor_tells_its_controllers_and_not_the_ico():
    # WP250 Annex B vii: a processor's authorisation bug: Art. 33(2) duty to the controller.
    decision = decide(
        breach_types=["confidentiality"],
        cause="accidental",
        data_categories=["basic_identity"],
        subjects_count=5000,
        acting_as="processor",
    )
    assert (decision.notify_controller, decision.notify_ico, decision.notify_subjects) == (
        True,
        False,
        False,
    )


def test_hospital_records_unavailable_for_thirty_hours_is_high_risk():
    # WP250 Annex B viii: medical records unavailable for 30 hours after a cyber attack.
    decision = decide(
        breach_types=["availability"],
        cause="malicious",
        data_categories=["basic_identity", "health"],
        subjects_count=20_000,
        vulnerable_subjects=True,
        availability={"outage_hours": 30},
    )
    assert outcome(decision) == ("high", True, True)


def test_students_data_sent_to_a_large_mailing_list_is_reported():
    # WP250 Annex B ix: students' details mistakenly sent to a 1,000+ recipient list.
    decision = decide(
        breach_types=["confidentiality"],
        cause="accidental",
        data_categories=["basic_identity", "other"],
        subjects_count=1500,
        recipient="known_untrusted",
    )
    assert decision.notify_ico


def test_marketing_email_with_a_few_addresses_in_cc_is_only_recorded():
    # WP250 Annex B x: recipients see each other's addresses; notifiable only if many
    # people, sensitive data or other aggravating factors.
    decision = decide(
        breach_types=["confidentiality"],
        cause="accidental",
        data_categories=["basic_identity"],
        subjects_count=40,
        recipient="known_untrusted",
    )
    assert outcome(decision) == ("unlikely", False, False)


def test_marketing_email_exposing_thousands_of_customers_is_reported():
    # WP250 Annex B x: a large number of people affected. The list shows who are the
    # sender's customers (their dealings with it: "other"), not only contact details.
    decision = decide(
        breach_types=["confidentiality"],
        cause="accidental",
        data_categories=["basic_identity", "other"],
        subjects_count=4000,
        recipient="known_untrusted",
    )
    assert outcome(decision) == ("risk", True, False)


def test_psychotherapists_mailing_list_in_cc_is_high_risk():
    # WP250 Annex B x: a psychotherapist's list reveals that the recipients are patients.
    decision = decide(
        breach_types=["confidentiality"],
        cause="accidental",
        data_categories=["basic_identity", "health"],
        subjects_count=60,
        vulnerable_subjects=True,
        recipient="known_untrusted",
    )
    assert outcome(decision) == ("high", True, True)


# --- ICO guidance --------------------------------------------------------------------------


def test_staff_telephone_list_altered_by_mistake_is_only_recorded():
    # ICO: "you would not normally need to notify ... the loss or inappropriate alteration
    # of a staff telephone list".
    decision = decide(
        breach_types=["integrity"],
        cause="accidental",
        data_categories=["basic_identity", "professional"],
        subjects_count=30,
    )
    assert outcome(decision) == ("unlikely", False, False)


def test_lost_unencrypted_usb_stick_of_patient_records_is_high_risk():
    # ICO and EDPB 01/2021 section 5: unencrypted health data on a lost device.
    decision = decide(
        breach_types=["confidentiality"],
        cause="accidental",
        data_categories=["basic_identity", "health"],
        subjects_count=150,
        vulnerable_subjects=True,
        recipient="unknown",
    )
    assert outcome(decision) == ("high", True, True)


def test_misdirected_email_of_one_customers_order_is_only_recorded():
    # EDPB 01/2021 Case 13 read for email: one order confirmation to another customer.
    decision = decide(
        breach_types=["confidentiality"],
        cause="accidental",
        data_categories=["basic_identity", "other"],
        subjects_count=1,
        recipient="known_untrusted",
    )
    assert outcome(decision) == ("unlikely", False, False)


def test_prescription_sent_to_the_wrong_dental_practice_that_returned_it_is_only_recorded():
    # EDPB 01/2021 Case 09 applied to a dental lab: the practice owes a duty of confidence.
    decision = decide(
        breach_types=["confidentiality"],
        cause="accidental",
        data_categories=["basic_identity", "health"],
        subjects_count=1,
        vulnerable_subjects=True,
        recipient="trusted",
        data_recovered=True,
    )
    assert outcome(decision) == ("unlikely", False, False)


def test_stolen_encrypted_tablets_are_reported_provisionally_before_the_backup_is_checked():
    # EDPB 01/2021 Case 10, assessed at awareness (para 9) before anyone has checked the
    # backup: the outage is weighed as lasting days, felt by the children (WP250 section II:
    # when in doubt, report; Art. 33(4): in phases), and confirming the backup lifts it.
    decision = decide(
        breach_types=["confidentiality", "availability"],
        cause="malicious",
        data_categories=["basic_identity", "health"],
        subjects_count=90,
        vulnerable_subjects=True,
        protection="encrypted",
        recipient="malicious",
    )
    assert outcome(decision) == ("risk", True, False)
    assert decision.provisional
    assert "outage-not-yet-known" in {reason.code for reason in decision.reasons}
    lifting = {q.field for q in decision.open_questions if not q.then.notify_ico}
    assert "availability.backup_available" in lifting or "availability.outage_hours" in lifting
