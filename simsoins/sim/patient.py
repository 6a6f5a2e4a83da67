"""A request (« demande ») as the pathways see it: :class:`Patient`, made by
:func:`new_patient` (a request of the day) or :meth:`Patient.asking_again` (a patient who
missed an appointment asks again)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Patient:
    """What the pathways need to know of a request (« demande »): who asks and from where,
    and the uniforms that decide what they do, the same in every scenario (common random
    numbers, drawn in :mod:`simsoins.sim.demand`)."""

    rid: int  # request id: the request's row in the event log
    commune: int
    mt: int  # the patient's « médecin traitant » (a clinician), -1: none
    tele_ok: int  # 1: teleconsultation possible for this request (« éligible »), else 0
    # The real fields, in the order of the day's rows from PATIENCE on (sim/day_rows.py),
    # so that the day loop passes a row's tail as it is (a test pins the correspondence).
    patience: float  # minutes: the longest wait accepted
    travel: float  # km: the farthest the patient goes for a practice or an evening site
    u_uptake: float  # uniform: accepts a teleconsultation when offered
    u_no_show: float  # uniform: misses the appointment (« lapin »)
    u_retry: float  # uniform: a routine request tries again later
    u_er: float  # uniform: an acute request goes to the ER when primary care has nothing
    u_sas: float  # uniform: the SAS regulator's answer is advice on the phone
    u_attach: float  # uniform: registers with the GP who saw them; the SAS call's length
    er_service: float  # minutes of ER doctor time if the patient ends at the ER
    u_walkin: float  # uniform: an acute patient goes straight to the ER
    u_hangup: float  # uniform: how long a SAS caller holds on before hanging up
    u_seen: float  # uniform: a GP who takes no new MT patient sees this unregistered one

    def asking_again(self, rid: int, *, u_uptake: float, u_no_show: float, u_retry: float,
                     u_attach: float) -> Patient:
        """The same patient's new request ``rid`` (commune, MT, patience, travel limit,
        tele eligibility, ER, SAS, walk-in and seen-anyway draws kept), with fresh uniforms
        for what it decides."""
        return new_patient(rid=rid, commune=self.commune, mt=self.mt, patience=self.patience, travel=self.travel,
                           tele_ok=self.tele_ok, u_uptake=u_uptake, u_no_show=u_no_show, u_retry=u_retry,
                           u_er=self.u_er, u_sas=self.u_sas, u_attach=u_attach, er_service=self.er_service,
                           u_walkin=self.u_walkin, u_hangup=self.u_hangup, u_seen=self.u_seen)


def new_patient(*, rid: int, commune: int, mt: int, patience: float, travel: float, tele_ok: int, u_uptake: float,
                u_no_show: float, u_retry: float, u_er: float, u_sas: float, u_attach: float,
                er_service: float, u_walkin: float, u_hangup: float, u_seen: float) -> Patient:
    """A :class:`Patient`, every field by name: the one place one is made."""
    # Passed on in the order of the fields: a class called with keywords makes CPython
    # gather them in a dict, once per request of the run.
    return Patient(rid, commune, mt, tele_ok, patience, travel, u_uptake, u_no_show, u_retry, u_er, u_sas, u_attach,
                   er_service, u_walkin, u_hangup, u_seen)
