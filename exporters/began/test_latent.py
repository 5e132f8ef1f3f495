import numpy as np

from exporters.began.latent import SplitMix64, latent_for_seed, latents_for_seeds


def test_splitmix64_gives_the_reference_sequence_for_seed_zero():
    generator = SplitMix64(0)
    assert [generator.next() for _ in range(3)] == [
        0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F]


def test_latent_components_are_the_top_24_bits_mapped_to_minus_one_one():
    first = SplitMix64(0).next()
    z = latent_for_seed(0, 4)
    assert z.dtype == np.float32
    assert z[0] == np.float32((first >> 40) / 2 ** 23 - 1)
    assert np.all((z >= -1) & (z < 1))


def test_image_i_of_a_request_uses_seed_plus_i_wrapping_at_64_bits():
    rows = latents_for_seeds(2 ** 64 - 1, 2, 8)
    assert np.array_equal(rows[0], latent_for_seed(2 ** 64 - 1, 8))
    assert np.array_equal(rows[1], latent_for_seed(0, 8))


def test_negative_seeds_are_their_twos_complement():
    assert np.array_equal(latent_for_seed(-1, 8), latent_for_seed(2 ** 64 - 1, 8))
